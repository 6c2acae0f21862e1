/* global Api, App */
'use strict';

window.Views = window.Views || {};
window.Views.home = {
  init: function(section) {
    this.section = section;
    this.focus = 0;
  },

  show: function() {
    var self = this;
    var saved = JSON.parse(localStorage.getItem('metro.favorites') || '[]');
    this.section.innerHTML = '<div class="row">Loading next departures…</div>';
    if (!saved.length) {
      this.section.innerHTML = '<div class="row">No saved stops. Press SoftLeft for "Near me".</div>';
      return;
    }
    Api.get('/stops/' + encodeURIComponent(saved[0].id) + '/next', function(err, text) {
      if (err) {
        self.section.innerHTML = '<div class="row">Offline</div>';
        return;
      }
      self.render(JSON.parse(text).departures);
    });
  },

  render: function(departures) {
    this.departures = departures;
    this.section.innerHTML = '';
    departures.forEach(function(d, i) {
      var row = document.createElement('div');
      row.className = 'row' + (i === this.focus ? ' focus' : '');
      row.textContent = d.line + ' → ' + d.headsign + ' · ' + d.minutes + ' min';
      this.section.appendChild(row);
    }, this);
  },

  onKey: function(e) {
    if (!this.departures) {
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      var n = this.departures.length;
      this.focus = (this.focus + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.render(this.departures);
    } else if (e.key === 'Enter') {
      App.show('timetable', { line: this.departures[this.focus].line });
    }
  }
};
