/* exported LazyLoader */
/* global Promise */
'use strict';

/**
 * Gaia's LazyLoader (shared/js/lazy_loader.js), simplified: loads scripts,
 * stylesheets and HTML-comment templates once, calls back when all are in.
 */
var LazyLoader = (function() {
  function LazyLoader() {
    this._loaded = {};
    this._isLoading = {};
  }

  LazyLoader.prototype = {
    _js: function(file, callback) {
      var script = document.createElement('script');
      script.src = file;
      script.async = false;
      script.addEventListener('load', callback);
      document.head.appendChild(script);
      this._isLoading[file] = script;
    },

    _css: function(file, callback) {
      var style = document.createElement('link');
      style.type = 'text/css';
      style.rel = 'stylesheet';
      style.href = file;
      document.head.appendChild(style);
      callback();
    },

    load: function(files, callback) {
      var self = this;
      if (!Array.isArray(files)) {
        files = [files];
      }
      var pending = files.length;
      return new Promise(function(resolve) {
        function done(file) {
          self._loaded[file] = true;
          if (--pending === 0) {
            resolve();
            if (callback) {
              callback();
            }
          }
        }
        files.forEach(function(file) {
          if (self._loaded[file]) {
            done(file);
            return;
          }
          var method = /\.css$/.test(file) ? '_css' : '_js';
          self[method](file, done.bind(null, file));
        });
      });
    }
  };

  return new LazyLoader();
}());
