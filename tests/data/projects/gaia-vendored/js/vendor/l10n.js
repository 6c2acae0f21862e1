/* -*- Mode: js; js-indent-level: 2; indent-tabs-mode: nil -*- */
/* vim: set shiftwidth=2 tabstop=2 autoindent cindent expandtab: */
/* Gaia shared/js/l10n.js (v1.x), trimmed for Tomato: .properties resources,
 * {{arg}} interpolation, data-l10n-id, navigator.mozL10n.{get,once,ready,language} */
(function(window, undefined) {
  'use strict';

  var gL10nData = {};
  var gLanguage = '';
  var gReadyState = 'loading';
  var gCallbacks = [];

  function getL10nResourceLink() {
    return document.querySelector('link[rel="localization"]');
  }

  function parse(text) {
    var data = {};
    var lines = text.replace(/\r/g, '').split('\n');
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i];
      if (/^\s*(#|$)/.test(line)) {
        continue;
      }
      var tmp = /^([^=\s]*)\s*=\s*(.+)$/.exec(line);
      if (tmp) {
        data[tmp[1]] = tmp[2];
      }
    }
    return data;
  }

  function loadResource(href, onSuccess, onFailure) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', href, true);
    if (xhr.overrideMimeType) {
      xhr.overrideMimeType('text/plain; charset=utf-8');
    }
    xhr.onreadystatechange = function() {
      if (xhr.readyState == 4) {
        if (xhr.status == 200 || xhr.status === 0) {
          onSuccess(xhr.responseText);
        } else {
          onFailure();
        }
      }
    };
    xhr.send(null);
  }

  function substArguments(str, args) {
    return str.replace(/\{\{\s*(\w+)\s*\}\}/g, function(all, name) {
      return (args && name in args) ? args[name] : all;
    });
  }

  function translateFragment(element) {
    element = element || document.documentElement;
    var nodes = element.querySelectorAll('[data-l10n-id]');
    for (var i = 0; i < nodes.length; i++) {
      var id = nodes[i].getAttribute('data-l10n-id');
      var args = JSON.parse(nodes[i].getAttribute('data-l10n-args') || 'null');
      if (gL10nData[id]) {
        nodes[i].textContent = substArguments(gL10nData[id], args);
      }
    }
  }

  function fireReady() {
    gReadyState = 'complete';
    translateFragment();
    document.documentElement.lang = gLanguage;
    window.dispatchEvent(new CustomEvent('localized'));
    gCallbacks.splice(0).forEach(function(cb) { cb(); });
  }

  function loadLocale(lang) {
    var link = getL10nResourceLink();
    if (!link) {
      fireReady();
      return;
    }
    gLanguage = lang;
    var href = link.getAttribute('href').replace('{locale}', lang);
    loadResource(href, function(text) {
      gL10nData = parse(text);
      fireReady();
    }, function() {
      if (lang !== 'en-US') {
        loadLocale('en-US');
      } else {
        fireReady();
      }
    });
  }

  navigator.mozL10n = {
    get: function(id, args) {
      return gL10nData[id] ? substArguments(gL10nData[id], args) : '';
    },
    get language() {
      return { code: gLanguage, direction: 'ltr' };
    },
    get readyState() {
      return gReadyState;
    },
    translate: translateFragment,
    once: function(callback) {
      if (gReadyState === 'complete') {
        window.setTimeout(callback);
      } else {
        gCallbacks.push(callback);
      }
    },
    ready: function(callback) {
      this.once(callback);
      window.addEventListener('localized', callback);
    }
  };

  document.addEventListener('DOMContentLoaded', function() {
    loadLocale(/^nl/.test(navigator.language) ? 'nl' : 'en-US');
  });
})(this);
