'use strict';
/* global I18n, Alarms */

(function () {
  var GOAL = 8;
  var INTERVALS = [30, 60, 90, 120];
  var today = new Date().toDateString();
  var state = JSON.parse(localStorage.getItem('hydrate') || 'null');
  if (!state || state.day !== today) {
    state = { day: today, count: 0, every: state?.every ?? 60 };
  }

  function save() {
    localStorage.setItem('hydrate', JSON.stringify(state));
  }

  function render(nextAt) {
    document.getElementById('level').style.height = Math.min(100, state.count / GOAL * 100) + '%';
    document.getElementById('count').textContent = I18n.t('glasses', { n: state.count, goal: GOAL });
    if (nextAt) {
      document.getElementById('next').textContent = I18n.t('next', { time: nextAt.toLocaleTimeString().slice(0, 5) });
    }
  }

  function schedule() {
    var next = new Date(Date.now() + state.every * 60 * 1000);
    return Alarms.clearAll().then(function () {
      return Alarms.add(next, { kind: 'drink' });
    }).then(function () {
      render(next);
    }, function (err) {
      document.getElementById('next').textContent = '!' + (err && err.name);
    });
  }

  function remind() {
    if (Notification.permission === 'granted') {
      new Notification('Hydrate', { body: I18n.t('reminder'), icon: '/icons/56.png', tag: 'hydrate' });
    }
    schedule();
  }

  document.addEventListener('keydown', function (e) {
    switch (e.key) {
      case 'Enter':
        state.count++;
        save();
        render();
        schedule();
        break;
      case 'SoftLeft':
        state.count = Math.max(0, state.count - 1);
        save();
        render();
        break;
      case 'SoftRight':
        state.every = INTERVALS[(INTERVALS.indexOf(state.every) + 1) % INTERVALS.length];
        save();
        schedule();
        break;
    }
  });

  // KaiOS 2.5: system messages come to the page
  if (navigator.mozSetMessageHandler) {
    navigator.mozSetMessageHandler('alarm', remind);
  }

  I18n.load(function () {
    render();
    schedule();
  });
})();
