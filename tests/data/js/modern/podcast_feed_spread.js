/*
 * Podcast feed refresh: fetches the episode list through the JSON proxy, merges it
 * with the saved play positions using object spread, and drops bookkeeping fields
 * with object rest before saving. Runs on KaiOS 3.0 (Gecko 84), not on 2.5.
 */
'use strict';

const FEED_URL = 'https://feeds.example.com/api/v1/podcasts';
const DEFAULTS = { speed: 1, autoDownload: false, keepLast: 5 };

function loadSaved() {
  try {
    return JSON.parse(localStorage.getItem('podcast-state')) || {};
  } catch (e) {
    return {};
  }
}

function saveState(state) {
  // dirty and lastError only live in memory
  const { dirty, lastError, ...persisted } = state;
  localStorage.setItem('podcast-state', JSON.stringify(persisted));
}

function mergeEpisode(remote, local) {
  return {
    ...remote,
    ...local,
    title: remote.title?.trim() ?? 'Untitled',
    duration: remote.enclosure?.duration ?? local?.duration ?? 0,
  };
}

function refreshFeed(podcast, settings) {
  const options = { ...DEFAULTS, ...settings, ...podcast.overrides };
  const url = `${FEED_URL}/${encodeURIComponent(podcast.id)}/episodes?limit=${options.keepLast}`;
  return fetch(url, { headers: { Accept: 'application/json' } })
    .then((res) => {
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    })
    .then(({ items = [], ...meta }) => {
      const saved = loadSaved();
      const played = saved[podcast.id] ?? {};
      const episodes = items.map((item) => mergeEpisode(item, played[item.guid]));
      const positions = {};
      for (const { guid, position = 0 } of episodes) {
        positions[guid] = { position };
      }
      saveState({ ...saved, [podcast.id]: positions, dirty: false });
      return { ...meta, episodes, options };
    });
}

function renderEpisodes(list, { episodes, title = 'Podcast' }) {
  document.getElementById('header-title').textContent = title;
  list.textContent = '';
  episodes.forEach(({ guid, title: name, duration, ...extra }, i) => {
    const li = document.createElement('li');
    li.tabIndex = i === 0 ? 0 : -1;
    li.dataset.guid = guid;
    li.textContent = `${name} (${Math.round(duration / 60)} min)`;
    if (extra.explicit) li.classList.add('explicit');
    list.appendChild(li);
  });
  list.firstElementChild?.focus();
}

const current = { id: 'kaios-weekly', overrides: { keepLast: 10 } };

document.addEventListener('keydown', (event) => {
  if (event.key === 'SoftLeft') {
    refreshFeed(current, { autoDownload: navigator.connection?.type === 'wifi' })
      .then((feed) => renderEpisodes(document.getElementById('episodes'), feed))
      .catch((err) => {
        document.getElementById('status').textContent = err.message;
      });
  } else if (event.key === 'SoftRight') {
    const { id, ...rest } = current;
    console.log('feed options', id, rest);
  }
});
