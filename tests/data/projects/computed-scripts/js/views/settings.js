/* global Api */
'use strict';

window.Views = window.Views || {};
window.Views.settings = {
  OPTIONS: ['home', 'search', 'favorites'],

  init: function(section) {
    this.section = section;
  },

  show: function() {
    var start = localStorage.getItem('metro.startView') || 'home';
    this.section.innerHTML =
      '<div class="row">Start on: <b id="start-view">' + start + '</b></div>' +
      '<div class="row">City: <b id="city">…</b></div>';
    this.loadCity();
  },

  loadCity: async function() {
    var el = this.section.querySelector('#city');
    try {
      var text = await new Promise(function(resolve, reject) {
        Api.get('/me/city', function(err, body) {
          if (err) {
            reject(err);
          } else {
            resolve(body);
          }
        });
      });
      el.textContent = JSON.parse(text).name;
    } catch (err) {
      el.textContent = 'unknown';
    }
  },

  onKey: function(e) {
    if (e.key === 'Enter') {
      var start = localStorage.getItem('metro.startView') || 'home';
      var next = this.OPTIONS[(this.OPTIONS.indexOf(start) + 1) % this.OPTIONS.length];
      localStorage.setItem('metro.startView', next);
      this.show();
    }
  }
};
