/* global Api */
'use strict';

window.Views = window.Views || {};
window.Views.timetable = {
  init: function(section) {
    this.section = section;
  },

  show: function(params) {
    var self = this;
    this.section.innerHTML = '<div class="row">Line ' + params.line + '…</div>';
    // The v1 timetable endpoint still answers with a JS object literal
    // (unquoted keys), not JSON.
    Api.get('/lines/' + encodeURIComponent(params.line) + '/timetable?format=js', function(err, text) {
      if (err) {
        self.section.innerHTML = '<div class="row">Timetable unavailable</div>';
        return;
      }
      var table = eval('(' + text + ')');
      self.render(table);
    });
  },

  render: function(table) {
    var html = '';
    table.stops.forEach(function(stop) {
      html += '<div class="row"><b>' + stop.name + '</b> ' + stop.times.slice(0, 4).join(' ') + '</div>';
    });
    this.section.innerHTML = html;
  },

  back: function() {
    window.App.show('home');
    return true;
  }
};
