/*
 * Settings store module for a KaiOS 3.0 app: wraps navigator.mozSettings locks in a
 * class with private fields and exports a shared instance.
 */
export const KEYS = Object.freeze({
  ringtone: 'dialer.ringtone',
  vibration: 'vibration.enabled',
  brightness: 'screen.brightness',
  language: 'language.current',
});

export class SettingsStore extends EventTarget {
  #cache = new Map();
  #settings;
  static #shared = null;

  constructor(settings = navigator.mozSettings) {
    super();
    this.#settings = settings;
    this.#settings?.addObserver?.(KEYS.language, this.#changed);
  }

  static get shared() {
    return (SettingsStore.#shared ??= new SettingsStore());
  }

  #changed = ({ settingName, settingValue }) => {
    this.#cache.set(settingName, settingValue);
    this.dispatchEvent(new CustomEvent('change', { detail: { settingName, settingValue } }));
  };

  #request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  async get(key) {
    if (this.#cache.has(key)) return this.#cache.get(key);
    const result = await this.#request(this.#settings.createLock().get(key));
    this.#cache.set(key, result[key]);
    return result[key];
  }

  async set(values) {
    await this.#request(this.#settings.createLock().set(values));
    for (const [key, value] of Object.entries(values)) this.#cache.set(key, value);
  }

  has(key) {
    return this.#cache.has(key);
  }
}

const store = SettingsStore.shared;

export async function brightness(level) {
  if (level === undefined) return store.get(KEYS.brightness);
  return store.set({ [KEYS.brightness]: Math.min(1, Math.max(0.1, level)) });
}

export { store as default, store as settings };
