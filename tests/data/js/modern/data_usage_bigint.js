/*
 * Data usage meter: sums byte counters from the network statistics API as BigInt
 * (64-bit counters overflow Number precision over a month on busy phones) and formats
 * them. Uses BigInt literals, numeric separators and exponentiation.
 */
'use strict';

const KIB = 1024n;
const MIB = KIB ** 2n;
const GIB = 2n ** 30n;
const MONTH_MS = 30 * 24 * 3_600_000;
const WARN_RATIO = 0.8;
const DEFAULT_PLAN = 1_500n * MIB;

function toBig(value) {
  return typeof value === 'bigint' ? value : BigInt(Math.trunc(value ?? 0));
}

function formatBytes(bytes) {
  if (bytes >= GIB) return `${(Number(bytes * 100n / GIB) / 100).toFixed(2)} GB`;
  if (bytes >= MIB) return `${(Number(bytes * 10n / MIB) / 10).toFixed(1)} MB`;
  if (bytes >= KIB) return `${bytes / KIB} KB`;
  return `${bytes} B`;
}

function getSamples(network, start, end) {
  return new Promise((resolve, reject) => {
    const request = navigator.mozNetworkStats.getSamples(network, start, end);
    request.onsuccess = () => resolve(request.result.data);
    request.onerror = () => reject(request.error);
  });
}

async function monthlyUsage() {
  const end = new Date();
  const start = new Date(end.getTime() - MONTH_MS);
  const networks = await new Promise((resolve) => {
    const request = navigator.mozNetworkStats.getAvailableNetworks();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve([]);
  });
  let rx = 0n;
  let tx = 0n;
  for (const network of networks) {
    const samples = await getSamples(network, start, end);
    for (const sample of samples) {
      rx += toBig(sample.rxBytes);
      tx += toBig(sample.txBytes);
    }
  }
  return { rx, tx, total: rx + tx };
}

function planLimit() {
  const saved = localStorage.getItem('plan-bytes');
  return saved ? BigInt(saved) : DEFAULT_PLAN;
}

function backoffDelay(attempt) {
  let jitter = Math.random();
  jitter **= 2; // mostly small, sometimes close to a full second
  return Math.min(2 ** attempt * 1_000 + jitter * 1_000, 0x7fff_ffff);
}

async function refresh(attempt = 0) {
  try {
    const { rx, tx, total } = await monthlyUsage();
    const limit = planLimit();
    document.getElementById('rx').textContent = formatBytes(rx);
    document.getElementById('tx').textContent = formatBytes(tx);
    const ratio = Number((total * 1000n) / limit) / 1000;
    document.getElementById('meter').value = ratio;
    if (ratio > WARN_RATIO) {
      new Notification('Data plan', { body: `${formatBytes(total)} of ${formatBytes(limit)} used 📶` });
    }
  } catch (err) {
    setTimeout(() => refresh(attempt + 1), backoffDelay(attempt));
  }
}

document.addEventListener('keydown', (event) => {
  if (event.key === 'SoftLeft') refresh();
  if (event.key === 'SoftRight') {
    localStorage.setItem('plan-bytes', String(3n * GIB));
    refresh();
  }
});
