// error: line 5 col 11
// A string literal that runs to the end of the line.
var labels = {
  left: 'Back',
  center: 'Play,
  right: 'Options'
};
document.getElementById('softkey-left').textContent = labels.left;
