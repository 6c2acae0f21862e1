/* exported ViewLoader */
/* global LazyLoader */
'use strict';

/*
 * Views are loaded on first use: js/views/<name>.js defines window.Views[name]
 * with init(section) and show(params). Dialogs bring their own stylesheet.
 */
var ViewLoader = {
  _pending: {},

  view: function(name, callback) {
    window.Views = window.Views || {};
    if (window.Views[name]) {
      callback(window.Views[name]);
      return;
    }
    if (this._pending[name]) {
      this._pending[name].push(callback);
      return;
    }
    this._pending[name] = [callback];
    var s = document.createElement('script');
    s.src = 'js/views/' + name + '.js';
    s.onload = function() {
      var view = window.Views[name];
      view.init(document.getElementById('view-' + name));
      ViewLoader._pending[name].forEach(function(cb) { cb(view); });
      delete ViewLoader._pending[name];
    };
    s.onerror = function() {
      console.error('[metro] cannot load view', name);
    };
    document.head.appendChild(s);
  },

  dialog: function(dialog, callback) {
    var deps = ['js/dialogs/' + dialog + '.js', 'style/dialogs/' + dialog + '.css'];
    LazyLoader.load(deps, function() {
      callback(window.Dialogs[dialog]);
    });
  }
};
