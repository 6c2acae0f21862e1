// error: line 3 col 15
// An unclosed group in a regular expression literal.
var VERSION = /(\d+)\.(\d+/;

function parseVersion(text) {
  var match = VERSION.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : null;
}
