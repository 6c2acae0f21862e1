// error: line 6 col 26
// One closing parenthesis too many.
function refresh() {
  fetch('/api/news').then(function (r) { return r.json(); });
}
setTimeout(refresh, 1000));
document.addEventListener('keydown', refresh);
