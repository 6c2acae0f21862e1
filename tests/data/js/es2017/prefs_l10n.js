// Preferences screen: localStorage-backed settings, l10n with a fallback
// table, and input validation with simple regular expressions.
// Written on Windows, so this file has CRLF line endings.

var Prefs = (function () {
  var PREFIX = 'prefs.';
  var defaults = {
    fontSize: 'medium',
    vibrate: true,
    nickname: '',
    language: 'en-US',
    refreshMinutes: 30
  };

  function get(key) {
    var raw = localStorage.getItem(PREFIX + key);
    if (raw === null) {
      return defaults[key];
    }
    try {
      return JSON.parse(raw);
    } catch (e) {
      localStorage.removeItem(PREFIX + key);
      return defaults[key];
    }
  }

  function set(key, value) {
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
    window.dispatchEvent(new CustomEvent('prefchange', { detail: { key: key, value: value } }));
  }

  function reset() {
    Object.keys(defaults).forEach(function (key) {
      localStorage.removeItem(PREFIX + key);
    });
    sessionStorage.clear();
  }

  return { get: get, set: set, reset: reset, defaults: defaults };
})();

var STRINGS = {
  'en-US': { title: 'Settings', nickname: 'Nickname', invalid: 'Invalid value', saved: 'Saved' },
  'zh-CN': { title: '设置', nickname: '昵称', invalid: '无效的值', saved: '已保存' },
  'ja': { title: '設定', nickname: 'ニックネーム', invalid: '無効な値です', saved: '保存しました' },
  'fr': { title: 'Réglages', nickname: 'Surnom', invalid: 'Valeur invalide', saved: 'Enregistré' }
};

function t(key) {
  var lang = Prefs.get('language');
  if (navigator.mozL10n && navigator.mozL10n.get(key)) {
    return navigator.mozL10n.get(key);
  }
  var table = STRINGS[lang] || STRINGS[lang.split('-')[0]] || STRINGS['en-US'];
  return table[key] || key;
}

function translatePage() {
  var nodes = document.querySelectorAll('[data-l10n-id]');
  for (var i = 0; i < nodes.length; i++) {
    nodes[i].textContent = t(nodes[i].getAttribute('data-l10n-id'));
  }
  document.documentElement.lang = Prefs.get('language');
  document.documentElement.dir = /^(ar|he|fa|ur)\b/.test(Prefs.get('language')) ? 'rtl' : 'ltr';
}

var NICK_RE = /^[\w\u00C0-\u024F\u4E00-\u9FFF .-]{1,20}$/;
var MINUTES_RE = /^(?:[1-9]|[1-5]\d|60)$/;
var TRIM_RE = /^\s+|\s+$/g;

function validate(field, value) {
  value = value.replace(TRIM_RE, '');
  if (field === 'nickname') {
    return NICK_RE.test(value) ? value : null;
  }
  if (field === 'refreshMinutes') {
    return MINUTES_RE.test(value) ? parseInt(value, 10) : null;
  }
  return value;
}

function bindInput(id, field) {
  var input = document.getElementById(id);
  input.value = Prefs.get(field);
  input.addEventListener('change', function () {
    var ok = validate(field, input.value);
    var msg = document.getElementById(id + '-msg');
    if (ok === null) {
      msg.textContent = t('invalid');
      input.classList.add('error');
    } else {
      Prefs.set(field, ok);
      msg.textContent = t('saved') + ' ✓';
      input.classList.remove('error');
    }
  });
}

window.addEventListener('DOMContentLoaded', function () {
  translatePage();
  bindInput('nickname', 'nickname');
  bindInput('refresh', 'refreshMinutes');
  window.addEventListener('prefchange', function (e) {
    if (e.detail.key === 'language') {
      translatePage();
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'SoftLeft') {
      var langs = Object.keys(STRINGS);
      var next = langs[(langs.indexOf(Prefs.get('language')) + 1) % langs.length];
      Prefs.set('language', next);
    } else if (e.key === 'SoftRight') {
      Prefs.reset();
      translatePage();
    }
  });
});
