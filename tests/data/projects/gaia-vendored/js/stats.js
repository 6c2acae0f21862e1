'use strict';
/* exported Stats */

var Stats = {
  KEY: 'tomato-stats',

  load: function() {
    try {
      return JSON.parse(localStorage.getItem(this.KEY)) || { day: '', today: 0, streak: 0 };
    } catch (e) {
      return { day: '', today: 0, streak: 0 };
    }
  },

  record: function() {
    var data = this.load();
    var day = new Date().toDateString();
    if (data.day !== day) {
      data.streak = data.today > 0 ? data.streak + 1 : 0;
      data.today = 0;
      data.day = day;
    }
    data.today++;
    localStorage.setItem(this.KEY, JSON.stringify(data));
    // let the counter animation finish before redrawing
    setTimeout('Stats.render()', 400);
  },

  render: function() {
    var data = this.load();
    document.getElementById('count-today').textContent = data.today;
    document.getElementById('count-streak').textContent = data.streak;
  }
};
