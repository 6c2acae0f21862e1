const KEY = 'kairss.settings';

export function loadSettings() {
  const raw = localStorage.getItem(KEY);
  if (!raw) {
    return { feedUrl: '', lastRefresh: 0 };
  }
  // 1.0 stored settings as a JS object literal (single quotes), so JSON.parse fails on them
  return eval('(' + raw + ')');
}

export function saveSettings(settings) {
  localStorage.setItem(KEY, JSON.stringify(settings));
}
