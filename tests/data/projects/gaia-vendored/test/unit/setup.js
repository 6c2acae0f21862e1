'use strict';
/* global sinon */

// Gaia-style helpers for tests that run in a desktop browser: no mozAlarms,
// no mozSetMessageHandler there.
window.require = window.require || function(path, callback) {
  var script = document.createElement('script');
  script.src = path;
  script.onload = callback;
  document.head.appendChild(script);
};

window.MockAlarms = {
  added: [],
  add: function(date, tz, data) {
    var req = { result: this.added.length + 1 };
    this.added.push({ date: date, data: data });
    setTimeout(function() { if (req.onsuccess) req.onsuccess(); });
    return req;
  },
  remove: function() {},
  reset: function() { this.added = []; }
};

setup(function() {
  this.sinon = sinon.sandbox.create();
  this.realAlarms = navigator.mozAlarms;
  Object.defineProperty(navigator, 'mozAlarms', { value: window.MockAlarms, configurable: true });
  this.sinon.useFakeTimers();
});

teardown(function() {
  this.sinon.restore();
  window.MockAlarms.reset();
});
