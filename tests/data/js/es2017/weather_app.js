/*
 * Weather 😀 — a typical small KaiOS 2.5 store app, with the usual mix:
 * a system XHR to a cleartext API, geolocation without an error callback,
 * l10n, localStorage caching and softkey handling.
 */
var WEATHER_KEY = 'demo-key';
var ICONS = { clear: '☀️', clouds: '☁️', rain: '🌧️', snow: '❄️', storm: '⛈️' };
var cache = JSON.parse(localStorage.getItem('weather.cache') || 'null');

function _(id, args) {
  return navigator.mozL10n ? navigator.mozL10n.get(id, args) : id;
}

function buildUrl(lat, lon) {
  return 'http://weather.example.com/data/2.5/weather?lat=' + lat + '&lon=' + lon +
    '&units=metric&appid=' + WEATHER_KEY;
}

function request(url) {
  return new Promise(function (resolve, reject) {
    var xhr = new XMLHttpRequest({ mozSystem: true });
    xhr.open('GET', url);
    xhr.timeout = 10000;
    xhr.responseType = 'json';
    xhr.onload = function () {
      if (xhr.status === 200) {
        resolve(xhr.response);
      } else {
        reject(new Error(String(xhr.status)));
      }
    };
    xhr.onerror = xhr.ontimeout = function () {
      reject(new Error('offline'));
    };
    xhr.send();
  });
}

function show(data) {
  var main = data.weather && data.weather[0] ? data.weather[0].main.toLowerCase() : 'clear';
  document.getElementById('icon').textContent = ICONS[main] || '🌡️';
  document.getElementById('temp').textContent = Math.round(data.main.temp) + '°C';
  document.getElementById('place').textContent = data.name;
  document.getElementById('updated').textContent =
    _('updated', { time: new Date(data.dt * 1000).toLocaleTimeString() });
}

function refresh() {
  document.getElementById('status').textContent = _('locating');
  navigator.geolocation.getCurrentPosition(function (pos) {
    request(buildUrl(pos.coords.latitude, pos.coords.longitude)).then(function (data) {
      cache = data;
      localStorage.setItem('weather.cache', JSON.stringify(data));
      show(data);
      document.getElementById('status').textContent = '';
    }, function (err) {
      document.getElementById('status').textContent = _('error') + ': ' + err.message;
    });
  });
}

function forecastFor(city) {
  var url = 'http://weather.example.com/data/2.5/forecast?q=' + encodeURIComponent(city);
  return request(url + '&appid=' + WEATHER_KEY);
}

function openWebsite() {
  new MozActivity({ name: 'view', data: { type: 'url', url: 'https://weather.example.com/' } });
}

window.addEventListener('DOMContentLoaded', function () {
  if (cache) {
    show(cache);
  }
  refresh();
});

document.addEventListener('keydown', function (e) {
  switch (e.key) {
    case 'SoftLeft':
      refresh();
      break;
    case 'SoftRight':
      openWebsite();
      break;
    case 'Enter':
      forecastFor(document.getElementById('place').textContent).then(function (f) {
        console.log(f.list.length + ' entries');
      });
      break;
  }
});
