'use strict';
/* global Timer, Stats */

(function() {
  var _ = navigator.mozL10n.get;
  var clock = document.getElementById('clock');
  var phaseEl = document.getElementById('phase');
  var toggle = document.getElementById('toggle');
  var skCenter = document.getElementById('sk-center');

  function onTick(ms, phase) {
    clock.textContent = Timer.format(ms);
    phaseEl.dataset.l10nId = phase === 'work' ? 'phase-work' : 'phase-break';
    phaseEl.textContent = _(phaseEl.dataset.l10nId);
    phaseEl.classList.toggle('break', phase !== 'work');
  }

  function notify(finished) {
    if (finished !== 'work') {
      return;
    }
    Stats.record();
    if (document.hidden && 'Notification' in window) {
      var n = new Notification(_('done-title'), {
        body: _('done-body', { minutes: 5 }),
        icon: '/icons/56.png',
        tag: 'tomato'
      });
      n.onclick = function() { n.close(); };
    }
    if (navigator.vibrate) {
      navigator.vibrate([300, 100, 300]);
    }
  }

  var timer = new Timer(onTick, function(finished) {
    notify(finished);
    updateLabels();
  });

  function updateLabels() {
    var key = timer.running() ? 'pause' : 'start';
    toggle.dataset.l10nId = skCenter.dataset.l10nId = key;
    toggle.textContent = skCenter.textContent = _(key);
  }

  function startPause() {
    if (timer.running()) {
      timer.pause();
    } else {
      timer.start();
    }
    updateLabels();
  }

  toggle.addEventListener('click', startPause);

  window.addEventListener('keydown', function(evt) {
    switch (evt.key) {
      case 'Enter':
        evt.preventDefault();
        startPause();
        break;
      case 'SoftLeft':
        timer.reset();
        updateLabels();
        break;
      case 'SoftRight':
        timer.finish();
        updateLabels();
        break;
    }
  });

  navigator.mozSetMessageHandler('alarm', function() {
    timer.tick();
  });

  navigator.mozSetMessageHandler('notification', function(message) {
    if (!message.clicked) {
      return;
    }
    navigator.mozApps.getSelf().onsuccess = function(e) {
      var app = e.target.result;
      if (app) {
        app.launch();
      }
    };
  });

  navigator.mozL10n.once(function() {
    Stats.render();
    onTick(timer.remaining, timer.phase);
    updateLabels();
  });
})();
