export function exportHistory(history) {
  const storage = navigator.getDeviceStorage('sdcard');
  const lines = ['date,from,to,amount,result', ...history.map((h) => [h.date, h.from, h.to, h.amount, h.result].join(','))];
  const file = new Blob([lines.join('\n')], { type: 'text/csv' });
  const name = `kurrency-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Promise((resolve, reject) => {
    const req = storage.addNamed(file, name);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// Refresh the rates every morning, even when the app is closed.
export function scheduleDailyRefresh() {
  const next = new Date();
  next.setHours(7, 0, 0, 0);
  if (next < new Date()) next.setDate(next.getDate() + 1);
  const req = navigator.mozAlarms.add(next, 'ignoreTimezone', { task: 'refresh-rates' });
  req.onerror = () => console.warn('alarm not set', req.error?.name);
}
