// error: line 13 col 1
// The keydown handler's function is never closed: the file ends inside it.
function initSoftkeys() {
  document.addEventListener('keydown', function (e) {
    if (e.key === 'SoftLeft') {
      openMenu();
    }
  });

function openMenu() {
  document.getElementById('menu').hidden = false;
}
