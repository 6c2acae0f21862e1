// Legacy game loop ported from a feature-phone WAP game (circa 2009).
// Full of string-evaluated code; KaiOS 2.5 privileged apps run under a CSP
// that forbids eval, so most of this breaks once the app is signed.

var score = 0;
var level = 1;
var ticks = 0;
var ticker = null;

function tick() {
  ticks++;
  if (ticks % 10 === 0) {
    draw();
  }
}

function draw() {
  document.getElementById('score').innerHTML = 'Score: ' + score + ' / Lv ' + level;
}

// JSON-via-eval helper, from before JSON.parse was everywhere.
function parseJSON(text) {
  return eval('(' + text + ')');
}

// A "safer" version that only falls back to eval.
function parseJSONSafe(text) {
  if (window.JSON && JSON.parse) {
    return JSON.parse(text);
  }
  return eval('(' + text + ')');
}

// Level scripts are stored as strings and compiled on demand.
var levelScripts = {
  1: 'score += 10; level = 2;',
  2: 'score += 25; if (score > 100) { level = 3; }',
  3: 'score *= 2;'
};

function runLevelScript(n) {
  var fn = new Function(levelScripts[n]);
  fn();
}

function makeScorer(expr) {
  // Function called without new behaves the same
  return Function('points', 'return ' + expr + ';');
}

var bonus = makeScorer('points * 3 + 1');

// The indirect eval idiom to get global scope.
var globalEval = (0, eval);
globalEval('var spawnedAt = Date.now();');

// Global object the old-fashioned way: Function with a single code string.
var root = Function('return this')();
root.gameVersion = '1.0';

// Debug console: evaluates whatever was typed into the hidden input.
function runConsole(input) {
  try {
    return String(window.eval(input.value));
  } catch (e) {
    return 'error: ' + e.message;
  }
}

function start() {
  // string timers: compiled like eval
  setTimeout('draw()', 100);
  ticker = setInterval("tick()", 1000);
  // concatenated code string
  setTimeout('runLevelScript(' + level + ')', 500);
  window.setTimeout("score = 0", 0);
}

function startClean() {
  // function timers: fine
  setTimeout(draw, 100);
  ticker = setInterval(tick, 1000);
  setTimeout(function () {
    runLevelScript(level);
  }, 500);
  window.setTimeout(function () { score = 0; }, 0);
}

function stop() {
  clearInterval(ticker);
}

function loadSave() {
  var raw = localStorage.getItem('save');
  if (raw) {
    var data = parseJSON(raw);
    score = data.score;
    level = data.level;
  }
  score += bonus(level);
}

document.addEventListener('keydown', function (e) {
  if (e.key === 'Enter') {
    start();
  } else if (e.key === 'SoftLeft') {
    startClean();
  } else if (e.key === 'SoftRight') {
    stop();
    localStorage.setItem('save', JSON.stringify({ score: score, level: level }));
  } else if (e.key === '#') {
    console.log(runConsole(document.getElementById('console')));
  }
});

loadSave();
