import { get, set } from 'idb-keyval';

const API = 'https://api.exchangerate.host/latest';
const ONE_DAY = 24 * 60 * 60 * 1000;

function request(url) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest({ mozSystem: true });
    xhr.open('GET', url);
    xhr.responseType = 'json';
    xhr.onload = () => (xhr.status === 200 ? resolve(xhr.response) : reject(new Error(xhr.statusText)));
    xhr.onerror = () => reject(new Error('offline'));
    xhr.send();
  });
}

export async function loadRates(base = 'EUR', { force = false } = {}) {
  const cached = await get(`rates-${base}`);
  if (!force && cached && Date.now() - cached.fetchedAt < ONE_DAY) {
    return cached;
  }
  try {
    const data = await request(`${API}?base=${base}`);
    const entry = { ...data, fetchedAt: Date.now() };
    await set(`rates-${base}`, entry);
    return entry;
  } catch (err) {
    if (cached) return { ...cached, stale: true };
    throw err;
  }
}

export function convert(rates, amount, to) {
  const rate = rates?.rates?.[to];
  return rate ? amount * rate : NaN;
}
