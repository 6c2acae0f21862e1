/*
 * Settings app shell (classic script): loads each panel's module only when the user
 * opens it, with dynamic import(). import() works in classic scripts too.
 */
'use strict';

const PANELS = {
  wifi: './panels/wifi.js',
  bluetooth: './panels/bluetooth.js',
  display: './panels/display.js',
  about: './panels/about.js',
};

const loaded = new Map();
let active = null;

function loadPanel(name) {
  if (!loaded.has(name)) {
    const url = PANELS[name];
    if (!url) return Promise.reject(new Error(`unknown panel ${name}`));
    loaded.set(
      name,
      import(url).then(({ default: Panel, title }) => ({ panel: new Panel(), title })),
    );
  }
  return loaded.get(name);
}

async function open(name) {
  const section = document.getElementById('panel');
  section.setAttribute('aria-busy', 'true');
  try {
    const { panel, title } = await loadPanel(name);
    active?.hide();
    document.getElementById('header-title').textContent = title;
    panel.show(section);
    active = panel;
  } catch (err) {
    loaded.delete(name);
    section.textContent = `Could not open ${name}: ${err.message}`;
  } finally {
    section.removeAttribute('aria-busy');
  }
}

async function loadLocale(lang) {
  const { strings } = await import(`./locales/${lang}.js`);
  for (const node of document.querySelectorAll('[data-l10n-id]')) {
    node.textContent = strings[node.dataset.l10nId] ?? node.textContent;
  }
}

// Warm up the most used panel when the phone is idle.
if ('requestIdleCallback' in window) {
  requestIdleCallback(() => loadPanel('wifi'));
}

const menu = document.getElementById('menu');

menu.addEventListener('keydown', (event) => {
  const item = event.target.closest('[data-panel]');
  if (!item) return;
  if (event.key === 'Enter') open(item.dataset.panel);
  if (event.key === 'SoftRight') import('./panels/help.js').then((m) => m.showHelp(item.dataset.panel));
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Backspace' && active) {
    event.preventDefault();
    active.hide();
    active = null;
    menu.querySelector('[data-panel]')?.focus();
  }
});

loadLocale(navigator.language.split('-')[0]);
