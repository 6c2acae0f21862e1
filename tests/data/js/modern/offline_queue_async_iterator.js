/*
 * Offline request queue for a news reader: requests made while offline are stored in
 * IndexedDB and replayed when the network is back. The queue is an async iterable
 * (an async generator method under Symbol.asyncIterator) drained with for await.
 */
'use strict';

const DB_NAME = 'offline-queue';
const STORE = 'requests';

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

class OfflineQueue {
  constructor() {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { autoIncrement: true });
    this.db = promisify(open);
  }

  async add(url, init = {}) {
    const db = await this.db;
    const { signal, ...stored } = init;
    return promisify(db.transaction(STORE, 'readwrite').objectStore(STORE).add({ url, ...stored }));
  }

  async *[Symbol.asyncIterator]() {
    const db = await this.db;
    const keys = await promisify(db.transaction(STORE).objectStore(STORE).getAllKeys());
    for (const key of keys) {
      const entry = await promisify(db.transaction(STORE).objectStore(STORE).get(key));
      if (entry) yield { key, ...entry };
    }
  }

  async remove(key) {
    const db = await this.db;
    await promisify(db.transaction(STORE, 'readwrite').objectStore(STORE).delete(key));
  }
}

const queue = new OfflineQueue();

async function send(url, init) {
  if (!navigator.onLine) {
    await queue.add(url, init);
    return null;
  }
  return fetch(url, init);
}

async function flush() {
  let sent = 0;
  for await (const { key, url, ...init } of queue) {
    try {
      const response = await fetch(url, init);
      if (response.ok || response.status < 500) {
        await queue.remove(key);
        sent++;
      }
    } catch {
      break; // offline again: keep the rest for later
    }
  }
  return sent;
}

window.addEventListener('online', async () => {
  const sent = await flush();
  if (sent) document.getElementById('toast').textContent = `${sent} queued actions sent`;
});

document.addEventListener('keydown', (event) => {
  const article = document.activeElement?.closest('article');
  if (event.key === 'SoftLeft' && article) {
    send(`https://news.example.com/api/bookmarks/${article.dataset.id}`, { method: 'PUT' });
  }
});
