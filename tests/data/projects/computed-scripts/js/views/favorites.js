/* global ViewLoader */
'use strict';

window.Views = window.Views || {};
window.Views.favorites = {
  init: function(section) {
    this.section = section;
    this.focus = 0;
  },

  list: function() {
    return JSON.parse(localStorage.getItem('metro.favorites') || '[]');
  },

  show: function() {
    var favs = this.list();
    this.section.innerHTML = '';
    if (!favs.length) {
      this.section.innerHTML = '<div class="row">Nothing saved yet</div>';
      return;
    }
    favs.forEach(function(f, i) {
      var row = document.createElement('div');
      row.className = 'row' + (i === this.focus ? ' focus' : '');
      row.textContent = f.name;
      this.section.appendChild(row);
    }, this);
  },

  onKey: function(e) {
    var self = this;
    var favs = this.list();
    if (e.key === 'ArrowDown' && favs.length) {
      this.focus = (this.focus + 1) % favs.length;
      this.show();
    } else if (e.key === 'ArrowUp' && favs.length) {
      this.focus = (this.focus + favs.length - 1) % favs.length;
      this.show();
    } else if (e.key === 'Enter' && favs.length) {
      ViewLoader.dialog('confirm', function(dialog) {
        dialog.open('Remove ' + favs[self.focus].name + '?', function(ok) {
          if (ok) {
            favs.splice(self.focus, 1);
            localStorage.setItem('metro.favorites', JSON.stringify(favs));
            self.focus = 0;
            self.show();
          }
        });
      });
    }
  }
};
