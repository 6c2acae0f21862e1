/* global Api, App */
'use strict';

window.Views = window.Views || {};
window.Views.search = {
  init: function(section) {
    this.section = section;
    this.stops = [];
    this.focus = 0;
  },

  show: function() {
    var self = this;
    this.section.innerHTML = '<div class="row">Locating…</div>';
    navigator.geolocation.getCurrentPosition(function(pos) {
      var q = '?lat=' + pos.coords.latitude.toFixed(5) + '&lon=' + pos.coords.longitude.toFixed(5);
      Api.get('/stops/near' + q, function(err, text) {
        if (err) {
          self.section.innerHTML = '<div class="row">Offline</div>';
          return;
        }
        self.stops = JSON.parse(text).stops;
        self.render();
      });
    });
  },

  render: function() {
    this.section.innerHTML = '';
    this.stops.forEach(function(stop, i) {
      var row = document.createElement('div');
      row.className = 'row' + (i === this.focus ? ' focus' : '');
      row.textContent = stop.name + ' (' + stop.distance + ' m)';
      this.section.appendChild(row);
    }, this);
  },

  onKey: function(e) {
    var n = this.stops.length;
    if (!n) {
      return;
    }
    if (e.key === 'ArrowDown') {
      this.focus = (this.focus + 1) % n;
    } else if (e.key === 'ArrowUp') {
      this.focus = (this.focus + n - 1) % n;
    } else if (e.key === 'Enter') {
      var favs = JSON.parse(localStorage.getItem('metro.favorites') || '[]');
      favs.unshift({ id: this.stops[this.focus].id, name: this.stops[this.focus].name });
      localStorage.setItem('metro.favorites', JSON.stringify(favs.slice(0, 10)));
      App.show('favorites');
      return;
    }
    this.render();
  }
};
