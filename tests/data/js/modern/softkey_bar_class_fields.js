/*
 * Softkey bar component: public, static and private class fields, private methods
 * and accessors, and `#field in obj` as a brand check. Private members need
 * Gecko 90, later than KaiOS 3.0's Gecko 84.
 */
'use strict';

class SoftkeyBar {
  static KEYS = ['SoftLeft', 'Enter', 'SoftRight'];
  static #instances = 0;

  left = '';
  center = 'SELECT';
  right = 'Options';
  #root;
  #handlers = new Map();
  #visible = true;

  constructor(root) {
    this.#root = root;
    SoftkeyBar.#instances += 1;
    this.#render();
    document.addEventListener('keydown', this.#onKey);
  }

  static isBar(value) {
    return #root in value;
  }

  static get count() {
    return SoftkeyBar.#instances;
  }

  get visible() {
    return this.#visible;
  }

  set visible(on) {
    this.#visible = Boolean(on);
    this.#root.hidden = !this.#visible;
  }

  set(labels) {
    ({ left: this.left = '', center: this.center = '', right: this.right = '' } = labels);
    this.#render();
    return this;
  }

  on(key, handler) {
    if (!SoftkeyBar.KEYS.includes(key)) throw new RangeError(`not a softkey: ${key}`);
    this.#handlers.set(key, handler);
    return this;
  }

  destroy() {
    document.removeEventListener('keydown', this.#onKey);
    this.#handlers.clear();
    SoftkeyBar.#instances -= 1;
  }

  #onKey = (event) => {
    if (!this.#visible) return;
    const handler = this.#handlers.get(event.key);
    if (handler) {
      event.preventDefault();
      handler.call(this, event);
    }
  };

  #render() {
    const [l, c, r] = this.#root.children;
    l.textContent = this.#label(this.left);
    c.textContent = this.#label(this.center);
    r.textContent = this.#label(this.right);
  }

  #label(id) {
    return navigator.mozL10n?.get(id) || id;
  }
}

class SearchBar extends SoftkeyBar {
  static defaultLabels = { left: 'Cancel', center: 'Search', right: '' };
  query = '';
}

const bar = new SearchBar(document.getElementById('softkey'))
  .set(SearchBar.defaultLabels)
  .on('SoftLeft', () => history.back())
  .on('Enter', function () {
    this.query = document.getElementById('search').value;
  });

console.log(SoftkeyBar.isBar(bar), SoftkeyBar.isBar({}), SoftkeyBar.count);
