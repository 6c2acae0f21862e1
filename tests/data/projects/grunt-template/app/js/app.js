/* global ArticleStore, Sync, l10n, MozActivity */
var ReadLater = (function () {
  'use strict';
  var list = document.getElementById('articles');
  var reader = document.getElementById('reader');
  var focused = 0;

  function render() {
    var items = ArticleStore.all();
    list.innerHTML = '';
    if (!items.length) {
      var li = document.createElement('li');
      li.textContent = l10n.get('empty');
      list.appendChild(li);
      return;
    }
    items.forEach(function (a, i) {
      var li = document.createElement('li');
      li.textContent = a.title || a.url;
      li.dataset.url = a.url;
      if (i === focused) li.className = 'focus';
      list.appendChild(li);
    });
  }

  function current() {
    return ArticleStore.all()[focused];
  }

  function open(article) {
    if (!article) return;
    if (!article.html) {
      new MozActivity({ name: 'view', data: { type: 'url', url: article.url } });
      return;
    }
    reader.innerHTML = article.html;
    reader.hidden = false;
    list.hidden = true;
  }

  function sync() {
    Sync.run(render);
  }

  document.addEventListener('keydown', function (e) {
    var count = ArticleStore.all().length;
    switch (e.key) {
      case 'ArrowDown': focused = Math.min(count - 1, focused + 1); render(); break;
      case 'ArrowUp': focused = Math.max(0, focused - 1); render(); break;
      case 'Enter': open(current()); break;
      case 'SoftRight': if (current()) { ArticleStore.remove(current().url); render(); } break;
      case 'Backspace':
        if (!reader.hidden) { e.preventDefault(); reader.hidden = true; list.hidden = false; }
        break;
    }
  });

  navigator.mozSetMessageHandler('activity', function (request) {
    var url = request.source.data.url;
    ArticleStore.add({ url: url, title: url, saved: Date.now() });
    render();
    request.postResult(true);
    sync();
  });

  navigator.mozSetMessageHandler('alarm', function () {
    sync();
    Sync.schedule();
  });

  // follow the phone language
  var lock = navigator.mozSettings.createLock();
  var req = lock.get('language.current');
  req.onsuccess = function () { l10n.setLanguage(req.result['language.current']); };

  document.addEventListener('localized', render);
  // refresh the "saved x minutes ago" labels
  setInterval('ReadLater.render()', 60000);
  Sync.schedule();

  return { render: render, sync: sync };
})();
