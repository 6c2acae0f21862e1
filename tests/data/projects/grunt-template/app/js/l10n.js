/* Minimal webL10n-style loader (based on Fabien Cazenave's l10n.js, trimmed for this app). */
(function (window, document) {
  'use strict';
  var dict = {};
  var lang = 'en-US';

  function parse(text) {
    var out = {};
    text.split('\n').forEach(function (line) {
      var m = /^\s*([\w.-]+)\s*=\s*(.*)$/.exec(line);
      if (m) out[m[1]] = m[2];
    });
    return out;
  }

  function load(code, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', 'locales/' + code + '.properties', true);
    xhr.overrideMimeType('text/plain; charset=utf-8');
    xhr.onload = function () { dict = parse(xhr.responseText); done(); };
    xhr.onerror = done;
    xhr.send();
  }

  function translate(root) {
    var nodes = (root || document).querySelectorAll('[data-l10n-id]');
    Array.prototype.forEach.call(nodes, function (node) {
      var value = dict[node.getAttribute('data-l10n-id')];
      if (value) node.textContent = value;
    });
  }

  window.l10n = {
    get: function (id) { return dict[id] || id; },
    translate: translate,
    setLanguage: function (code) {
      lang = /^fr/.test(code) ? 'fr' : 'en-US';
      load(lang, function () { translate(); document.dispatchEvent(new CustomEvent('localized')); });
    },
    getLanguage: function () { return lang; }
  };
})(window, document);
