// News reader that talks to its backend over plain HTTP. Every request below
// goes over cleartext; window.open at the end is a navigation, not a request.

var API = 'http://api.example.com/v1';
var region = 'cn';

function getHeadlines() {
  return fetch('http://api.example.com/x').then(function (r) {
    return r.json();
  });
}

function getSection(name) {
  return fetch(API + '/section/' + encodeURIComponent(name));
}

function getByTemplate(id) {
  return fetch(`http://api.example.com/v1/articles/${id}?region=${region}`);
}

function getViaConcat(id) {
  return fetch('http://' + 'static.example.com' + '/img/' + id + '.jpg');
}

function legacyXhr(path, cb) {
  var xhr = new XMLHttpRequest();
  xhr.open('GET', 'http://api.example.com/v1/' + path);
  xhr.onload = function () {
    cb(null, xhr.responseText);
  };
  xhr.onerror = function () {
    cb(new Error('request failed'));
  };
  xhr.send();
}

function systemXhrPost(payload) {
  var xhr = new XMLHttpRequest({ mozSystem: true });
  xhr.open('POST', 'http://telemetry.example.com/collect', true);
  xhr.setRequestHeader('Content-Type', 'application/json');
  xhr.send(JSON.stringify(payload));
}

function liveTicker(onMessage) {
  var ws = new WebSocket('ws://push.example.com/ticker');
  ws.onmessage = function (e) {
    onMessage(JSON.parse(e.data));
  };
  return ws;
}

function liveTickerTemplate(channel) {
  return new WebSocket(`ws://push.example.com/channel/${channel}`);
}

function breakingNews(onItem) {
  var es = new EventSource('http://push.example.com/breaking');
  es.addEventListener('item', function (e) {
    onItem(e.data);
  });
  return es;
}

function loadImage(el, path) {
  // not fetched through JS, but still a cleartext subresource
  el.src = 'http://static.example.com' + path;
}

function openInBrowser(article) {
  // navigation to a cleartext page: different from a request
  window.open('http://www.example.com/article/' + article.id, '_blank');
}

function openHelp() {
  window.open('http://help.example.com/');
}

getHeadlines().then(function (data) {
  var list = document.getElementById('headlines');
  data.items.forEach(function (item) {
    var li = document.createElement('li');
    li.tabIndex = 0;
    li.textContent = item.title + ' — ' + item.source;
    li.onclick = function () { openInBrowser(item); };
    list.appendChild(li);
  });
});

liveTicker(function (msg) {
  document.getElementById('ticker').textContent = msg.text;
});
breakingNews(function (text) { console.log('breaking', text); });

document.addEventListener('keydown', function (e) {
  if (e.key === 'SoftLeft') openHelp();
  if (e.key === 'SoftRight') getSection('sports');
  if (e.key === '1') getByTemplate(1);
  if (e.key === '2') getViaConcat(2);
  if (e.key === '3') legacyXhr('weather', function () {});
  if (e.key === '4') systemXhrPost({ ev: 'key4' });
  if (e.key === '5') liveTickerTemplate('tech');
});
