/*
 * Battery saver: dims the screen and slows polling when the battery runs low.
 * Optional chaining everywhere because the APIs differ between KaiOS 2.5 and 3.0
 * and between devices: navigator.getBattery?.(), navigator.mozPower?.…,
 * screen.mozLockOrientation?.(…). 🔋
 */
'use strict';

const LOW = 0.2;
const CRITICAL = 0.05;
let pollInterval = 60_000;
let timer = null;

function getBattery() {
  return navigator.getBattery?.() ?? Promise.resolve(navigator.battery ?? navigator.mozBattery);
}

function setBrightness(level) {
  if (navigator.mozPower) {
    navigator.mozPower.screenBrightness = level;
    return Promise.resolve();
  }
  const lock = navigator.mozSettings?.createLock?.();
  return new Promise((resolve) => {
    const request = lock?.set({ 'screen.brightness': level });
    if (!request) return resolve();
    request.onsuccess = request.onerror = () => resolve();
  });
}

function describe(battery) {
  const percent = Math.round((battery?.level ?? 1) * 100);
  const minutes = battery?.dischargingTime === Infinity ? null : battery?.dischargingTime / 60;
  return minutes ? `${percent}% · ${Math.round(minutes)} min left` : `${percent}%`;
}

function schedule(poll) {
  clearInterval(timer);
  timer = setInterval(poll, pollInterval);
}

async function apply(battery, poll) {
  const level = battery?.level ?? 1;
  const charging = battery?.charging ?? false;
  document.getElementById('battery').textContent = describe(battery);
  if (charging || level > LOW) {
    pollInterval = 60_000;
    await setBrightness(JSON.parse(localStorage.getItem('brightness') ?? '0.8'));
  } else {
    pollInterval = level < CRITICAL ? 600_000 : 300_000;
    await setBrightness(0.3);
    screen.mozLockOrientation?.('portrait-primary');
    window.navigator.vibrate?.(level < CRITICAL ? [200, 100, 200] : 0);
  }
  schedule(poll);
}

function poll() {
  const handlers = window.pollers?.['battery-saver'] ?? [];
  handlers.forEach((fn) => fn?.());
}

getBattery().then((battery) => {
  apply(battery, poll);
  battery?.addEventListener?.('levelchange', () => apply(battery, poll));
  battery?.addEventListener?.('chargingchange', () => apply(battery, poll));
});

document.addEventListener('visibilitychange', () => {
  if (document.hidden) clearInterval(timer);
  else schedule(poll);
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'SoftRight') {
    const value = document.querySelector('#brightness-slider')?.value;
    localStorage.setItem('brightness', String(Number(value ?? 80) / 100));
    getBattery().then((b) => apply(b, poll));
  }
});
