/*
 * Notes app storage on IndexedDB. Correct code: promises wrap every request,
 * each request has onsuccess and onerror, transactions report completion.
 * Sample notes contain decomposed text (e + U+0301 combining acute) on purpose:
 * "Café au lait", "naïve", and CJK "买牛奶".
 */

const DB_NAME = 'notes';
const DB_VERSION = 2;
const STORE = 'notes';

function promisify(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function openDb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = (event) => {
      const db = req.result;
      if (event.oldVersion < 1) {
        const store = db.createObjectStore(STORE, { keyPath: 'id', autoIncrement: true });
        store.createIndex('updated', 'updated');
      }
      if (event.oldVersion < 2) {
        req.transaction.objectStore(STORE).createIndex('tag', 'tags', { multiEntry: true });
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('database blocked by another tab'));
  });
}

class NoteStore {
  constructor(db) {
    this.db = db;
  }

  static async open() {
    return new NoteStore(await openDb());
  }

  tx(mode) {
    return this.db.transaction(STORE, mode).objectStore(STORE);
  }

  add(text, tags) {
    const note = { text: text.normalize('NFC'), tags: tags || [], updated: Date.now() };
    return promisify(this.tx('readwrite').add(note));
  }

  update(note) {
    note.updated = Date.now();
    return promisify(this.tx('readwrite').put(note));
  }

  remove(id) {
    return promisify(this.tx('readwrite').delete(id));
  }

  get(id) {
    return promisify(this.tx('readonly').get(id));
  }

  recent(limit) {
    return new Promise((resolve, reject) => {
      const out = [];
      const req = this.tx('readonly').index('updated').openCursor(null, 'prev');
      req.onsuccess = () => {
        const cursor = req.result;
        if (cursor && out.length < limit) {
          out.push(cursor.value);
          cursor.continue();
        } else {
          resolve(out);
        }
      };
      req.onerror = () => reject(req.error);
    });
  }

  byTag(tag) {
    return promisify(this.tx('readonly').index('tag').getAll(tag));
  }
}

function renderNotes(notes) {
  const list = document.getElementById('notes');
  list.textContent = '';
  notes.forEach((note, i) => {
    const li = document.createElement('li');
    li.tabIndex = i;
    li.dataset.id = String(note.id);
    li.textContent = note.text.length > 40 ? note.text.slice(0, 39) + '…' : note.text;
    list.appendChild(li);
  });
}

async function main() {
  const store = await NoteStore.open();
  const existing = await store.recent(1);
  if (existing.length === 0) {
    await store.add('Café au lait ☕', ['food']);
    await store.add('A naïve plan', ['ideas']);
    await store.add('买牛奶 🥛', ['shopping', 'food']);
  }
  renderNotes(await store.recent(50));

  document.addEventListener('keydown', async (e) => {
    const id = Number(document.activeElement.dataset.id);
    if (e.key === 'SoftRight' && id) {
      await store.remove(id);
      renderNotes(await store.recent(50));
    } else if (e.key === 'SoftLeft') {
      renderNotes(await store.byTag('food'));
    }
  });
}

main().catch((err) => {
  document.getElementById('error').textContent = String(err);
});
