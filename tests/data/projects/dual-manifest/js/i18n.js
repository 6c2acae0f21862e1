'use strict';
/* exported I18n */

var I18n = {
  strings: {},
  lang: /^fr/.test(navigator.language) ? 'fr' : 'en-US',

  load: function (done) {
    var self = this;
    var xhr = new XMLHttpRequest();
    xhr.open('GET', 'locales/' + this.lang + '.json');
    xhr.responseType = 'json';
    xhr.onload = function () {
      self.strings = xhr.response || {};
      var nodes = document.querySelectorAll('[data-i18n]');
      Array.prototype.forEach.call(nodes, function (n) {
        var s = self.strings[n.dataset.i18n];
        if (s) n.textContent = s;
      });
      done();
    };
    xhr.onerror = done;
    xhr.send();
  },

  t: function (key, args) {
    var s = this.strings[key] || key;
    Object.keys(args || {}).forEach(function (k) {
      s = s.replace('{' + k + '}', args[k]);
    });
    return s;
  }
};
