/*
 * Notes app: turns pasted HTML or Markdown into plain text for the small screen.
 * ES2017 syntax only. [^] ("any character, newlines included") is valid JavaScript
 * since ES3, but Python's re rejects an empty negated class, so esprima rejects
 * the file. 备忘录 📝
 */
'use strict';

const COMMENT = /<!--[^]*?-->/g;
const SCRIPT = /<(script|style)\b[^>]*>[^]*?<\/\1>/gi;
const FENCE = /^```[^]*?^```$/gm;
const BLOCK_COMMENT = /\/\*[^]*?\*\//g;
const TAG = /<[^>]+>/g;
const ENTITY = /&(amp|lt|gt|quot|#39|nbsp);/g;
const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

function toPlainText(text) {
  return text
    .replace(COMMENT, '')
    .replace(SCRIPT, '')
    .replace(BLOCK_COMMENT, '')
    .replace(FENCE, '[code]')
    .replace(TAG, '')
    .replace(ENTITY, (all, name) => ENTITIES[name])
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function firstLine(text) {
  const match = /^[^]*?(?:\n|$)/.exec(text);
  return (match ? match[0] : text).trim().slice(0, 30) || '(空白笔记)';
}

async function saveNote(db, raw) {
  const body = toPlainText(raw);
  const note = { title: firstLine(body), body: body, updated: Date.now() };
  await new Promise((resolve, reject) => {
    const tx = db.transaction('notes', 'readwrite');
    tx.objectStore('notes').put(note);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  return note;
}

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('notes', 2);
    request.onupgradeneeded = () => {
      request.result.createObjectStore('notes', { keyPath: 'updated' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

const editor = document.getElementById('editor');

document.addEventListener('keydown', async (event) => {
  if (event.key !== 'SoftRight') return;
  const db = await openDb();
  const note = await saveNote(db, editor.value);
  document.getElementById('toast').textContent = 'Saved: ' + note.title;
});
