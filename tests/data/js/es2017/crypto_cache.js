/*
 * Offline article cache for a KaiOS 3.0 web app.
 * Uses newer web APIs that Gecko 48 (KaiOS 2.5) lacks or exposes only on
 * secure origins: crypto.subtle, caches, navigator.storage, navigator.clipboard.
 */

const CACHE_NAME = 'articles-v3';

function toHex(buffer) {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += ('0' + bytes[i].toString(16)).slice(-2);
  }
  return out;
}

async function articleId(url) {
  const data = new TextEncoder().encode(url);
  const digest = await crypto.subtle.digest('SHA-256', data);
  return toHex(digest).slice(0, 16);
}

function hashText(text) {
  return window.crypto.subtle.digest({ name: 'SHA-1' }, new TextEncoder().encode(text))
    .then(toHex);
}

async function saveArticle(url) {
  const cache = await caches.open(CACHE_NAME);
  await cache.add(url);
  const id = await articleId(url);
  const index = JSON.parse(localStorage.getItem('article-index') || '{}');
  index[id] = { url: url, savedAt: Date.now() };
  localStorage.setItem('article-index', JSON.stringify(index));
  return id;
}

function readArticle(url) {
  return caches.open(CACHE_NAME).then((cache) => cache.match(url)).then((res) => {
    if (!res) {
      throw new Error('not cached: ' + url);
    }
    return res.text();
  });
}

async function clearOldCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n !== CACHE_NAME).map((n) => caches.delete(n)));
}

async function showQuota() {
  const est = await navigator.storage.estimate();
  const usedMb = (est.usage / 1048576).toFixed(1);
  const quotaMb = (est.quota / 1048576).toFixed(1);
  document.getElementById('quota').textContent = `${usedMb} / ${quotaMb} MB`;
  if (navigator.storage.persist) {
    const persisted = await navigator.storage.persist();
    document.getElementById('persist').textContent = persisted ? '📌' : '';
  }
}

function copyLink(url) {
  navigator.clipboard.writeText(url).then(() => {
    toast('Link copied 📋');
  }, () => {
    toast('Copy failed');
  });
}

function toast(text) {
  const el = document.createElement('div');
  el.className = 'toast';
  el.textContent = text;
  document.body.appendChild(el);
  setTimeout(() => el.remove(), 2000);
}

document.addEventListener('keydown', async (e) => {
  const focused = document.activeElement;
  const url = focused && focused.dataset ? focused.dataset.url : null;
  if (!url) return;
  switch (e.key) {
    case 'Enter':
      try {
        document.getElementById('reader').textContent = await readArticle(url);
      } catch (err) {
        toast(err.message);
      }
      break;
    case 'SoftLeft':
      await saveArticle(url);
      toast('Saved ✔');
      break;
    case 'SoftRight':
      copyLink(url);
      break;
    case '0':
      await clearOldCaches();
      await showQuota();
      break;
  }
});
