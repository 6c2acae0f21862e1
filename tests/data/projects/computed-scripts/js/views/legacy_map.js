/*
 * OBSOLETE (1.x): the map view was replaced by js/views/search.js in 2.0 when
 * the tile server went away. Kept until the stop-clustering code is ported.
 * Nothing calls ViewLoader.view('legacy_map') any more.
 */
'use strict';

window.Views = window.Views || {};
window.Views.legacy_map = {
  init: function(section) {
    this.section = section;
    this.zoom = 14;
  },

  show: function(params) {
    var tile = 'http://tiles.metrotimes.example.net/' + this.zoom + '/' + params.x + '/' + params.y + '.png';
    this.section.innerHTML =
      '<img src="' + tile + '" width="240" height="240">' +
      '<button onclick="window.Views.legacy_map.zoomIn()">+</button>';
    // marker templates were compiled from strings in 1.x
    this.marker = new Function('stop', 'return "<i class=marker title=" + stop.name + "></i>";');
  },

  zoomIn: function() {
    this.zoom++;
    setTimeout('window.Views.legacy_map.show(window.Views.legacy_map.last)', 0);
  }
};
