/* global ViewLoader */
'use strict';

(function() {
  var tabs = Array.prototype.slice.call(document.querySelectorAll('#tabs .tab'));
  var current = null;

  function show(name, params) {
    ViewLoader.view(name, function(view) {
      var sections = document.querySelectorAll('#views section');
      Array.prototype.forEach.call(sections, function(s) {
        s.hidden = s.dataset.view !== name;
      });
      tabs.forEach(function(t) {
        t.classList.toggle('active', t.dataset.view === name);
      });
      current = view;
      view.show(params || {});
    });
  }

  window.App = { show: show };

  document.addEventListener('keydown', function(e) {
    switch (e.key) {
      case 'SoftLeft': {
        var index = tabs.findIndex(function(t) { return t.classList.contains('active'); });
        show(tabs[(index + 1) % tabs.length].dataset.view);
        break;
      }
      case 'SoftRight':
        ViewLoader.dialog('about', function(dialog) { dialog.open(); });
        break;
      case 'Backspace':
        if (current && current.back && current.back()) {
          e.preventDefault();
        }
        break;
      default:
        if (current && current.onKey) {
          current.onKey(e);
        }
    }
  });

  show(localStorage.getItem('metro.startView') || 'home');
})();
