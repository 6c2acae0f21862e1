/* global asyncStorage */
var ArticleStore = (function () {
  'use strict';
  var KEY = 'readlater-articles';

  function all() {
    try {
      return JSON.parse(localStorage.getItem(KEY)) || [];
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    localStorage.setItem(KEY, JSON.stringify(list));
  }

  return {
    all: all,
    add: function (article) {
      var list = all().filter(function (a) { return a.url !== article.url; });
      list.unshift(article);
      save(list);
    },
    remove: function (url) {
      save(all().filter(function (a) { return a.url !== url; }));
    },
    update: function (url, changes) {
      save(all().map(function (a) {
        if (a.url !== url) return a;
        Object.keys(changes).forEach(function (k) { a[k] = changes[k]; });
        return a;
      }));
    }
  };
})();
