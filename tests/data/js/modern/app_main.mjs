/*
 * Entry module of a KaiOS 3.0 app (<script type="module" src="js/app_main.mjs">).
 * Top-level await loads the configuration before anything renders; import.meta.url
 * finds files next to this module. Top-level await needs Gecko 89.
 */
import { SoftkeyBar } from './softkeys.mjs';
import * as storage from './storage.mjs';
import defaultConfig from './config.mjs';

const base = new URL('../', import.meta.url);
const configUrl = new URL('data/config.json', base);

async function readJson(url, fallback) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.json() : fallback;
  } catch (err) {
    console.warn('config unavailable', url.href, err);
    return fallback;
  }
}

export const config = { ...defaultConfig, ...(await readJson(configUrl, {})) };
export const self = await new Promise((resolve) => {
  const request = navigator.mozApps.getSelf();
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => resolve(null);
});

const strings = await import(new URL(`locales/${navigator.language}.mjs`, base).href)
  .then((m) => m.default)
  .catch(() => ({}));

export function t(id) {
  return strings[id] ?? id;
}

const bar = new SoftkeyBar(document.getElementById('softkey'));
bar.set({ left: t('new'), center: t('open'), right: t('options') });

document.getElementById('version').textContent = self?.manifest.version ?? 'dev';

const notes = await storage.list();
const list = document.getElementById('notes');
for (const note of notes) {
  const li = document.createElement('li');
  li.tabIndex = -1;
  li.textContent = note.title || t('untitled');
  list.append(li);
}
list.firstElementChild?.focus();

document.addEventListener('keydown', async (event) => {
  if (event.key === 'SoftLeft') {
    const { openEditor } = await import('./editor.mjs');
    openEditor(null);
  }
});

export default { config, t };
