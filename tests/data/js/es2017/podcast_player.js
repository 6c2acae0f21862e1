/*
 * 🎧 Podcast player view. Correct app code: audio element, media keys,
 * volume via the system, progress bar, and a queue kept in localStorage.
 * Episode titles include emoji (astral plane) and decomposed accents.
 */
'use strict';

const audio = new Audio();
audio.mozAudioChannelType = 'content';
audio.preload = 'metadata';

const state = {
  queue: JSON.parse(localStorage.getItem('queue') || '[]'),
  index: 0,
  rate: 1
};

if (state.queue.length === 0) {
  state.queue = [
    { title: 'Ep. 12 — Résumé 😀', src: 'media/ep12.mp3' },
    { title: '第13集：耳机评测 🎧', src: 'media/ep13.mp3' },
    { title: 'Ep. 14 — 🚀 to 🌕', src: 'media/ep14.mp3' }
  ];
}

const $ = (id) => document.getElementById(id);

function fmt(seconds) {
  if (!isFinite(seconds)) return '--:--';
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return m + ':' + (s < 10 ? '0' : '') + s;
}

function load(i) {
  state.index = (i + state.queue.length) % state.queue.length;
  const ep = state.queue[state.index];
  audio.src = ep.src;
  audio.playbackRate = state.rate;
  $('title').textContent = ep.title;
  $('position').textContent = `${state.index + 1} / ${state.queue.length}`;
  localStorage.setItem('queue', JSON.stringify(state.queue));
}

function toggle() {
  if (audio.paused) {
    const p = audio.play();
    if (p && p.catch) {
      p.catch((err) => { $('status').textContent = err.name; });
    }
  } else {
    audio.pause();
  }
}

function seek(delta) {
  audio.currentTime = Math.max(0, Math.min(audio.duration || 0, audio.currentTime + delta));
}

function cycleRate() {
  const rates = [1, 1.25, 1.5, 2, 0.75];
  state.rate = rates[(rates.indexOf(state.rate) + 1) % rates.length];
  audio.playbackRate = state.rate;
  $('rate').textContent = state.rate + '×';
}

audio.addEventListener('timeupdate', () => {
  $('elapsed').textContent = fmt(audio.currentTime);
  $('duration').textContent = fmt(audio.duration);
  const pct = audio.duration ? (audio.currentTime / audio.duration) * 100 : 0;
  $('bar').style.width = pct.toFixed(1) + '%';
});

audio.addEventListener('ended', () => load(state.index + 1));
audio.addEventListener('play', () => { $('play').textContent = '⏸'; });
audio.addEventListener('pause', () => { $('play').textContent = '▶'; });

document.addEventListener('keydown', (e) => {
  switch (e.key) {
    case 'Enter': toggle(); break;
    case 'ArrowLeft': seek(-15); break;
    case 'ArrowRight': seek(30); break;
    case 'ArrowUp': navigator.volumeManager && navigator.volumeManager.requestUp(); break;
    case 'ArrowDown': navigator.volumeManager && navigator.volumeManager.requestDown(); break;
    case 'SoftLeft': load(state.index - 1); break;
    case 'SoftRight': load(state.index + 1); break;
    case '*': cycleRate(); break;
    default: return;
  }
  e.preventDefault();
});

document.addEventListener('visibilitychange', () => {
  localStorage.setItem('lastPosition', JSON.stringify({ i: state.index, t: audio.currentTime }));
});

load(state.index);
