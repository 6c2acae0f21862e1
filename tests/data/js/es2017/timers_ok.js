// Clock and stopwatch: every timer takes a function, nothing is string-evaluated.
// ⏱ Correct code; a rule for string timers should report nothing in this file.

const Stopwatch = (function () {
  let startedAt = 0;
  let elapsed = 0;
  let intervalId = null;
  const listeners = [];

  function now() {
    return (window.performance && performance.now) ? performance.now() : Date.now();
  }

  function emit() {
    const value = elapsed + (intervalId !== null ? now() - startedAt : 0);
    listeners.forEach((fn) => fn(value));
  }

  return {
    start() {
      if (intervalId !== null) return;
      startedAt = now();
      intervalId = setInterval(emit, 100);
    },
    stop() {
      if (intervalId === null) return;
      elapsed += now() - startedAt;
      clearInterval(intervalId);
      intervalId = null;
      emit();
    },
    reset() {
      this.stop();
      elapsed = 0;
      emit();
    },
    onChange(fn) {
      listeners.push(fn);
    }
  };
})();

function pad(n, width) {
  let s = String(n);
  while (s.length < width) s = '0' + s;
  return s;
}

function format(ms) {
  const total = Math.floor(ms / 10);
  const cs = total % 100;
  const secs = Math.floor(total / 100) % 60;
  const mins = Math.floor(total / 6000);
  return `${pad(mins, 2)}:${pad(secs, 2)}.${pad(cs, 2)}`;
}

function debounce(fn, wait) {
  let handle = null;
  return function (...args) {
    clearTimeout(handle);
    handle = setTimeout(() => fn.apply(this, args), wait);
  };
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function blinkTwice(el) {
  for (let i = 0; i < 2; i++) {
    el.classList.add('blink');
    await delay(150);
    el.classList.remove('blink');
    await delay(150);
  }
}

const timeout = 5 * 1000;
const handler = function () { document.body.classList.add('idle'); };
let idleTimer = setTimeout(handler, timeout);
const resetIdle = debounce(() => {
  clearTimeout(idleTimer);
  document.body.classList.remove('idle');
  idleTimer = setTimeout(handler, timeout);
}, 50);

window.requestAnimationFrame(function paint() {
  document.getElementById('clock').textContent = new Date().toLocaleTimeString();
  setTimeout(() => window.requestAnimationFrame(paint), 1000);
});

Stopwatch.onChange((ms) => {
  document.getElementById('watch').textContent = format(ms);
});

document.addEventListener('keydown', (e) => {
  resetIdle();
  if (e.key === 'Enter') {
    Stopwatch.start();
  } else if (e.key === 'SoftRight') {
    Stopwatch.stop();
    blinkTwice(document.getElementById('watch'));
  } else if (e.key === 'SoftLeft') {
    Stopwatch.reset();
  }
});
