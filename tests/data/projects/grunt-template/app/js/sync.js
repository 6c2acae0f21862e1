/* global ArticleStore */
var Sync = (function () {
  'use strict';

  function fetchArticle(article, done) {
    var xhr = new XMLHttpRequest({ mozSystem: true });
    xhr.open('GET', article.url, true);
    xhr.responseType = 'document';
    xhr.onload = function () {
      var doc = xhr.responseXML;
      if (doc) {
        var body = doc.querySelector('article') || doc.body;
        ArticleStore.update(article.url, {
          title: (doc.title || article.url).trim(),
          html: body ? body.innerHTML : '',
          fetched: Date.now()
        });
      }
      done();
    };
    xhr.onerror = done;
    xhr.send();
  }

  function run(callback) {
    var pending = ArticleStore.all().filter(function (a) { return !a.fetched; });
    var left = pending.length;
    if (!left) { if (callback) callback(); return; }
    pending.forEach(function (a) {
      fetchArticle(a, function () {
        if (--left === 0 && callback) callback();
      });
    });
  }

  function schedule() {
    var when = new Date(Date.now() + 6 * 60 * 60 * 1000);
    var req = navigator.mozAlarms.add(when, 'ignoreTimezone', { type: 'sync' });
    req.onerror = function () { console.warn('ReadLater: no alarm', req.error && req.error.name); };
  }

  return { run: run, schedule: schedule };
})();
