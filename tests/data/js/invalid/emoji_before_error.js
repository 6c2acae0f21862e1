// error: line 7 col 32
// Emoji (2 UTF-16 units, 4 UTF-8 bytes) and CJK (1 UTF-16 unit, 3 UTF-8 bytes) before
// the error on the same line: the column depends on what is counted.
function showLabel(text) {
  document.getElementById('title').textContent = text;
}
var label = '📷 相机'; showLabel(label;
