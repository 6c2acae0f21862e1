'use strict';
/* global Timer, Stats, MockAlarms, assert, suite, test, setup */

suite('Timer', function() {
  var ticks, done, timer;

  setup(function() {
    ticks = [];
    done = [];
    timer = new Timer(function(ms, phase) { ticks.push([ms, phase]); },
                      function(phase) { done.push(phase); });
  });

  test('format pads minutes and seconds', function() {
    assert.equal(Timer.format(25 * 60 * 1000), '25:00');
    assert.equal(Timer.format(61 * 1000), '01:01');
    assert.equal(Timer.format(0), '00:00');
  });

  test('start sets an alarm for the end of the phase', function() {
    timer.start();
    assert.equal(MockAlarms.added.length, 1);
    assert.equal(MockAlarms.added[0].data.phase, 'work');
    assert.isTrue(timer.running());
  });

  test('finish switches from work to break', function() {
    timer.start();
    timer.finish();
    assert.deepEqual(done, ['work']);
    assert.equal(timer.phase, 'break');
    assert.isFalse(timer.running());
  });

  test('reset goes back to a full work phase', function() {
    timer.finish();
    timer.reset();
    assert.equal(timer.phase, 'work');
    assert.deepEqual(ticks[ticks.length - 1], [25 * 60 * 1000, 'work']);
  });
});

suite('Stats', function() {
  setup(function() {
    localStorage.removeItem(Stats.KEY);
  });

  test('record counts today', function() {
    Stats.record();
    Stats.record();
    assert.equal(Stats.load().today, 2);
  });
});
