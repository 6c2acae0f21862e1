// The same news reader after the HTTPS migration. Nothing here is cleartext:
// https/wss, relative URLs, app-local paths and localhost dev servers only.

const API = 'https://api.example.com/v1';
const DEV = location.hostname === 'localhost';

function getHeadlines() {
  return fetch('https://api.example.com/x').then((r) => r.json());
}

function getSection(name) {
  return fetch(`${API}/section/${encodeURIComponent(name)}`);
}

function getLocalConfig() {
  // relative to the app origin (app:// on KaiOS 2.5)
  return fetch('/config.json').then((r) => r.json());
}

function getRelative(path) {
  return fetch('data/' + path + '.json');
}

function getProtocolRelative() {
  return fetch('//cdn.example.com/feeds/top.json');
}

function devOnly() {
  if (DEV) {
    // cleartext to loopback is not a network exposure
    fetch('http://localhost:8080/debug');
    fetch('http://127.0.0.1:8080/debug');
  }
}

function xhrSecure(path, cb) {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', 'https://api.example.com/v1/' + path);
  xhr.onload = () => cb(null, xhr.responseText);
  xhr.onerror = () => cb(new Error('failed'));
  xhr.send();
}

function ticker(onMessage) {
  const ws = new WebSocket('wss://push.example.com/ticker');
  ws.onmessage = (e) => onMessage(JSON.parse(e.data));
  return ws;
}

function tickerFor(channel) {
  return new WebSocket(`wss://push.example.com/channel/${channel}`);
}

function breaking(onItem) {
  const es = new EventSource('https://push.example.com/breaking');
  es.onmessage = (e) => onItem(e.data);
  return es;
}

function dataUrl() {
  return fetch('data:application/json,%7B%7D');
}

function openArticle(id) {
  window.open('https://www.example.com/article/' + id);
}

// Strings that merely mention http:// are not requests.
const NOTE = 'Old builds used http://api.example.com; see CHANGELOG.';
const schemes = ['http:', 'https:'];

function isSecure(url) {
  return url.indexOf('https://') === 0 || url.indexOf('wss://') === 0;
}

getLocalConfig().then((cfg) => {
  console.log('config', cfg, NOTE, schemes.length, isSecure(API));
  return getHeadlines();
});

document.addEventListener('keydown', (e) => {
  switch (e.key) {
    case '1': getSection('tech'); break;
    case '2': getRelative('top'); break;
    case '3': getProtocolRelative(); break;
    case '4': xhrSecure('weather', () => {}); break;
    case '5': ticker(console.log); break;
    case '6': tickerFor('sports'); break;
    case '7': breaking(console.log); break;
    case '8': dataUrl(); break;
    case '9': openArticle(42); break;
    case '0': devOnly(); break;
  }
});
