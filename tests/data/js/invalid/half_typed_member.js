// error: line 6 col 7
// The user is typing "navigator.geolocation." and has not finished the line.
// The next line's "let" is read as a property name, so the error is at "watchId".
function locate() {
  navigator.geolocation.
  let watchId = null;
  document.getElementById('status').textContent = 'Locating…';
  return watchId;
}
locate();
