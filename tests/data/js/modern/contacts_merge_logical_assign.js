/*
 * Contact de-duplication before saving contacts imported from a vCard on the SD card.
 * Fills missing fields with logical assignment (||=, &&=, ??=). KaiOS 3.0 only.
 */
'use strict';

function normalize(contact) {
  contact.name ||= [[contact.givenName?.[0], contact.familyName?.[0]].filter(Boolean).join(' ')];
  contact.tel ??= [];
  contact.email ??= [];
  contact.email &&= contact.email.map((e) => ({ ...e, value: e.value.trim().toLowerCase() }));
  contact.category ||= ['imported'];
  for (const tel of contact.tel) {
    tel.type ??= ['mobile'];
    tel.value &&= tel.value.replace(/[\s-]/g, '');
  }
  return contact;
}

function findByNumber(number) {
  return new Promise((resolve, reject) => {
    const request = navigator.mozContacts.find({
      filterBy: ['tel'],
      filterValue: number,
      filterOp: 'match',
    });
    request.onsuccess = () => resolve(request.result ?? []);
    request.onerror = () => reject(request.error);
  });
}

function save(contact) {
  return new Promise((resolve, reject) => {
    const request = navigator.mozContacts.save(contact);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
  });
}

const stats = { added: 0, merged: 0, failed: 0 };
const seen = new Map();

async function importOne(card) {
  const props = normalize({ ...card });
  const key = props.tel[0]?.value;
  let existing = key ? seen.get(key) : undefined;
  if (key && !existing) {
    existing = (await findByNumber(key))[0];
  }
  if (existing) {
    existing.email ||= props.email;
    existing.note ??= props.note;
    existing.org &&= existing.org.length ? existing.org : props.org;
    stats.merged += 1;
  } else {
    existing = new mozContact(props);
    stats.added += 1;
  }
  key && seen.set(key, existing);
  try {
    await save(existing);
  } catch {
    stats.failed += 1;
  }
}

async function importAll(cards, progress) {
  let done = 0;
  for (const card of cards) {
    await importOne(card);
    progress.value = ++done / cards.length;
  }
  return stats;
}

window.addEventListener('keydown', (e) => {
  if (e.key !== 'SoftLeft') return;
  const cards = JSON.parse(sessionStorage.getItem('parsed-vcards') ?? '[]');
  importAll(cards, document.getElementById('progress')).then(({ added, merged, failed }) => {
    document.getElementById('summary').textContent =
      `Added ${added}, merged ${merged}, failed ${failed} — 完成 ✅`;
  });
});
