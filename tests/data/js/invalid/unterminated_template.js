// error: line 11 col 1
// The closing backtick of the template is missing: the template runs to the end of the file.
function renderItem(item) {
  const html = `<li tabindex="0" data-id="${item.id}">
    <span class="title">${item.title}</span>
  </li>;
  document.getElementById('list').insertAdjacentHTML('beforeend', html);
}

renderItem({ id: 1, title: 'Inbox' });
