/*
 * Launcher helper: a registry of installed apps with a class static block that reads
 * the roles once, when the class is defined. Static blocks need Gecko 93.
 * Uses navigator.mozApps.mgmt (certified apps only).
 */
'use strict';

class AppRegistry {
  static HIDDEN_ROLES;
  static #byOrigin = new Map();
  static ready;

  static {
    const hidden = ['system', 'homescreen', 'keyboard', 'theme', 'addon', 'input'];
    this.HIDDEN_ROLES = new Set(hidden);
    try {
      const saved = JSON.parse(localStorage.getItem('hidden-roles') ?? '[]');
      saved.forEach((role) => this.HIDDEN_ROLES.add(role));
    } catch {
      localStorage.removeItem('hidden-roles');
    }
  }

  static {
    this.ready = new Promise((resolve, reject) => {
      const request = navigator.mozApps.mgmt.getAll();
      request.onsuccess = () => {
        for (const app of request.result) {
          this.#byOrigin.set(app.origin, app);
        }
        resolve(this.#byOrigin.size);
      };
      request.onerror = () => reject(request.error);
    });
  }

  static visible() {
    return [...this.#byOrigin.values()].filter(
      (app) => !this.HIDDEN_ROLES.has(app.manifest?.role ?? ''),
    );
  }

  static launch(origin) {
    const app = this.#byOrigin.get(origin);
    if (!app) throw new Error(`not installed: ${origin}`);
    app.launch();
  }

  static name(app, lang = navigator.language) {
    const locales = app.manifest.locales ?? {};
    return locales[lang]?.name ?? locales[lang.split('-')[0]]?.name ?? app.manifest.name;
  }
}

const grid = document.getElementById('apps');

AppRegistry.ready.then(() => {
  for (const app of AppRegistry.visible()) {
    const tile = document.createElement('div');
    tile.className = 'tile';
    tile.tabIndex = 0;
    tile.dataset.origin = app.origin;
    tile.textContent = AppRegistry.name(app);
    grid.appendChild(tile);
  }
  grid.firstElementChild?.focus();
});

grid.addEventListener('keydown', (event) => {
  const tile = event.target.closest('.tile');
  if (event.key === 'Enter' && tile) {
    AppRegistry.launch(tile.dataset.origin);
  }
});
