'use strict';
/* exported Timer */

var Timer = (function() {
  var WORK = 25 * 60 * 1000;
  var BREAK = 5 * 60 * 1000;

  function Timer(onTick, onDone) {
    this.onTick = onTick;
    this.onDone = onDone;
    this.phase = 'work';
    this.remaining = WORK;
    this.endsAt = 0;
    this.interval = null;
    this.alarmId = null;
  }

  Timer.prototype.start = function() {
    var self = this;
    this.endsAt = Date.now() + this.remaining;
    this.interval = setInterval(function() { self.tick(); }, 500);
    // wake up the app even if the user closes it
    var req = navigator.mozAlarms.add(new Date(this.endsAt), 'ignoreTimezone', { phase: this.phase });
    req.onsuccess = function() { self.alarmId = req.result; };
    req.onerror = function() { console.warn('[Tomato] alarm failed', req.error.name); };
  };

  Timer.prototype.pause = function() {
    clearInterval(this.interval);
    this.interval = null;
    this.remaining = Math.max(0, this.endsAt - Date.now());
    if (this.alarmId !== null) {
      navigator.mozAlarms.remove(this.alarmId);
      this.alarmId = null;
    }
  };

  Timer.prototype.running = function() {
    return this.interval !== null;
  };

  Timer.prototype.tick = function() {
    var left = Math.max(0, this.endsAt - Date.now());
    this.onTick(left, this.phase);
    if (left === 0) {
      this.finish();
    }
  };

  Timer.prototype.finish = function() {
    clearInterval(this.interval);
    this.interval = null;
    this.alarmId = null;
    var finished = this.phase;
    this.phase = finished === 'work' ? 'break' : 'work';
    this.remaining = this.phase === 'work' ? WORK : BREAK;
    this.onDone(finished);
  };

  Timer.prototype.reset = function() {
    if (this.running()) {
      this.pause();
    }
    this.phase = 'work';
    this.remaining = WORK;
    this.onTick(WORK, 'work');
  };

  Timer.format = function(ms) {
    var s = Math.ceil(ms / 1000);
    var m = Math.floor(s / 60);
    s = s % 60;
    return (m < 10 ? '0' : '') + m + ':' + (s < 10 ? '0' : '') + s;
  };

  return Timer;
})();
