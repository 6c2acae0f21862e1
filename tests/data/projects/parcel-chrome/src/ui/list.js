export const CURRENCIES = ['EUR', 'USD', 'GBP', 'INR', 'NGN', 'KES', 'GHS', 'ZAR', 'BRL', 'MXN', 'IDR', 'PKR', 'BDT', 'TZS', 'UGX'];

export function move(list, step) {
  const items = [...list.querySelectorAll('li')];
  const index = items.indexOf(document.activeElement);
  const next = items[(index + step + items.length) % items.length];
  next?.focus();
}

export function openPicker(list, current, onPick) {
  list.innerHTML = '';
  for (const code of CURRENCIES) {
    const li = document.createElement('li');
    li.tabIndex = 0;
    li.textContent = code;
    li.dataset.code = code;
    list.appendChild(li);
  }
  list.hidden = false;
  (list.querySelector(`[data-code="${current}"]`) ?? list.firstElementChild).focus();
  list.onkeydown = (e) => {
    if (e.key === 'Enter') {
      list.hidden = true;
      onPick(document.activeElement.dataset.code);
    }
  };
}
