import { loadRates, convert } from './rates';
import { exportHistory, scheduleDailyRefresh } from './export';
import { setSoftkeys } from './ui/softkeys';
import { openPicker, move } from './ui/list';

const state = { from: 'EUR', to: 'USD', rates: null, history: [] };
const $ = (id) => document.getElementById(id);

async function refresh(force = false) {
  try {
    state.rates = await loadRates(state.from, { force });
    $('updated').textContent = state.rates.stale ? 'Offline: old rates' : `Updated ${new Date(state.rates.fetchedAt).toLocaleTimeString()}`;
  } catch (err) {
    $('updated').textContent = 'No rates yet. Check your connection.';
  }
  render();
}

function render() {
  const amount = parseFloat($('amount').value) || 0;
  const result = convert(state.rates, amount, state.to);
  $('from').querySelector('.code').textContent = state.from;
  $('to').querySelector('.code').textContent = state.to;
  $('result').textContent = Number.isNaN(result) ? '-' : result.toFixed(2);
}

function swap() {
  [state.from, state.to] = [state.to, state.from];
  refresh();
}

document.addEventListener('keydown', async (e) => {
  const picker = $('picker');
  if (!picker.hidden) {
    if (e.key === 'ArrowDown') move(picker, 1);
    if (e.key === 'ArrowUp') move(picker, -1);
    if (e.key === 'Backspace') { e.preventDefault(); picker.hidden = true; }
    return;
  }
  switch (e.key) {
    case 'ArrowDown':
    case 'ArrowUp':
      (document.activeElement.closest('#from') ? $('to') : $('from')).focus();
      break;
    case 'Enter': {
      const side = document.activeElement.closest('#from') ? 'from' : 'to';
      openPicker(picker, state[side], (code) => { state[side] = code; refresh(); });
      break;
    }
    case 'SoftLeft':
      swap();
      break;
    case 'SoftRight':
      try {
        const name = await exportHistory(state.history);
        $('updated').textContent = `Saved ${name}`;
      } catch (err) {
        $('updated').textContent = 'Export failed';
      }
      break;
    default:
  }
});

$('amount').addEventListener('input', () => {
  render();
  state.history.push({ date: new Date().toISOString(), from: state.from, to: state.to, amount: $('amount').value, result: $('result').textContent });
});

navigator.mozSetMessageHandler?.('alarm', () => refresh(true));

setSoftkeys('Swap', 'Select', 'Export');
$('from').focus();
scheduleDailyRefresh();
refresh();
