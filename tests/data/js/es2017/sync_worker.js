/*
 * Web worker that syncs notes in the background.
 * Loaded with: new Worker('js/sync_worker.js')
 * importScripts pulls helper libraries; one is still fetched over http.
 */

importScripts('lib/idb-lite.js');
importScripts('https://cdn.example.com/lz-string/1.4.4/lz-string.min.js');
importScripts('http://cdn.example.com/legacy/sha1.js');
importScripts('/shared/protocol.js', 'http://cdn.example.com/legacy/base64.js');

var BASE = 'https://sync.example.com/api';
var pending = [];
var timer = null;

function post(kind, payload) {
  self.postMessage({ kind: kind, payload: payload });
}

function upload(batch) {
  return fetch(BASE + '/notes', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ notes: batch })
  }).then(function (res) {
    if (!res.ok) {
      throw new Error('HTTP ' + res.status);
    }
    return res.json();
  });
}

function flush() {
  timer = null;
  if (pending.length === 0) {
    return;
  }
  var batch = pending.splice(0, 20);
  upload(batch).then(function (result) {
    post('synced', { count: batch.length, revision: result.revision });
    if (pending.length) {
      schedule();
    }
  }).catch(function (err) {
    pending = batch.concat(pending);
    post('error', err.message);
    timer = setTimeout(flush, 30000);
  });
}

function schedule() {
  if (timer === null) {
    timer = setTimeout(flush, 2000);
  }
}

self.onmessage = function (e) {
  var msg = e.data;
  switch (msg.kind) {
    case 'note':
      pending.push(msg.note);
      schedule();
      break;
    case 'flush':
      clearTimeout(timer);
      flush();
      break;
    case 'ping':
      post('pong', { queued: pending.length });
      break;
    default:
      post('error', 'unknown message ' + msg.kind);
  }
};
