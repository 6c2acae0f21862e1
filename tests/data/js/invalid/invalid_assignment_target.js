// error: line 5 col 7
// "=" instead of "===" in a Yoda condition: a number cannot be assigned to.
var items = [];
function showEmptyState() {
  if (0 = items.length) {
    document.getElementById('empty').hidden = false;
  }
}
showEmptyState();
