/* Location tracker: current position, watch, and an alias of navigator.
 * 定位 — KaiOS asks the user the first time (📍 prompt).
 */
var nav = navigator;
var watchId = null;
var track = [];

function showPosition(pos) {
  var c = pos.coords;
  document.getElementById('lat').textContent = c.latitude.toFixed(5);
  document.getElementById('lon').textContent = c.longitude.toFixed(5);
  document.getElementById('acc').textContent = '±' + Math.round(c.accuracy) + ' m';
}

function showError(err) {
  var messages = {
    1: '位置权限被拒绝',
    2: 'Position unavailable',
    3: 'Timed out'
  };
  document.getElementById('status').textContent = messages[err.code] || err.message;
}

// Without an error callback: a denied prompt leaves the UI waiting forever.
function locateOnce() {
  navigator.geolocation.getCurrentPosition(showPosition);
}

// With an error callback and options.
function locateCarefully() {
  navigator.geolocation.getCurrentPosition(showPosition, showError, {
    enableHighAccuracy: true,
    timeout: 15000,
    maximumAge: 60000
  });
}

// Through the alias, without an error callback.
function locateViaAlias() {
  nav.geolocation.getCurrentPosition(function (pos) {
    showPosition(pos);
    track.push([pos.coords.latitude, pos.coords.longitude, pos.timestamp]);
  });
}

// A second-level alias: the geolocation object itself.
var geo = navigator.geolocation;

function startWatch() {
  if (watchId !== null) {
    return;
  }
  watchId = geo.watchPosition(function (pos) {
    track.push([pos.coords.latitude, pos.coords.longitude, pos.timestamp]);
    showPosition(pos);
  }, showError, { enableHighAccuracy: false });
}

function startWatchNoErrors() {
  watchId = nav.geolocation.watchPosition(showPosition);
}

function stopWatch() {
  if (watchId !== null) {
    geo.clearWatch(watchId);
    watchId = null;
  }
}

function distanceKm(a, b) {
  var R = 6371;
  var toRad = function (d) { return d * Math.PI / 180; };
  var dLat = toRad(b[0] - a[0]);
  var dLon = toRad(b[1] - a[1]);
  var h = Math.pow(Math.sin(dLat / 2), 2) +
    Math.cos(toRad(a[0])) * Math.cos(toRad(b[0])) * Math.pow(Math.sin(dLon / 2), 2);
  return 2 * R * Math.asin(Math.sqrt(h));
}

function totalDistance() {
  var sum = 0;
  for (var i = 1; i < track.length; i++) {
    sum += distanceKm(track[i - 1], track[i]);
  }
  return sum;
}

document.addEventListener('keydown', function (e) {
  switch (e.key) {
    case '1': locateOnce(); break;
    case '2': locateCarefully(); break;
    case '3': locateViaAlias(); break;
    case 'SoftLeft': startWatch(); break;
    case 'SoftRight': stopWatch(); break;
    case '0':
      startWatchNoErrors();
      break;
    case '#':
      document.getElementById('status').textContent = totalDistance().toFixed(2) + ' km';
      break;
  }
});
