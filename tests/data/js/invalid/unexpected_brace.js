// error: line 6 col 13
// A half-typed object literal: a property without a value, then the closing brace.
function setSoftkeys() {
  var labels = {
    left: 'Back',
    center: },
  document.getElementById('softkey-center').textContent = labels.center;
}

setSoftkeys();
