/*
 * Contact search with T9-free matching: letters of any script via Unicode property
 * escapes (\p{L} with the u flag), and the d flag (match indices) to underline the
 * matched part of each name. Names: 王小明, Zoë Ångström, محمد, Дмитрий 🙂
 */
'use strict';

const LETTERS = /\p{L}+/gu;
const HAN = /\p{Script=Han}/u;
const EMOJI = /\p{Extended_Pictographic}/gu;
const MARKS = /\p{M}+/gu;
const NOT_DIALABLE = /[^\p{Nd}+*#]/gu;
const INITIALS = /(?<!\p{L})\p{L}/dgu;

function fold(text) {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase();
}

function tokens(name) {
  return fold(name.replace(EMOJI, '')).match(LETTERS) ?? [];
}

function matcher(query) {
  const escaped = fold(query).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Han names have no word boundaries: match anywhere. Others: at a word start.
  const source = HAN.test(query) ? escaped : `(?<!\\p{L})${escaped}`;
  return new RegExp(source, 'du');
}

function highlight(name, re) {
  const folded = fold(name);
  const match = re.exec(folded);
  if (!match || folded.length !== name.length) return document.createTextNode(name);
  const [start, end] = match.indices[0];
  const span = document.createElement('span');
  span.append(name.slice(0, start));
  const mark = document.createElement('mark');
  mark.textContent = name.slice(start, end);
  span.append(mark, name.slice(end));
  return span;
}

// Word initials and where they are: "ZÅ" finds Zoë Ångström, and the avatar shows them.
function initialsAt(name) {
  return [...name.matchAll(INITIALS)].map((m) => ({ letter: m[0], at: m.indices[0][0] }));
}

function search(contacts, query) {
  const re = matcher(query);
  const upper = query.toUpperCase();
  return contacts.filter(
    (c) =>
      tokens(c.name).some((t) => re.test(t)) ||
      re.test(fold(c.name)) ||
      initialsAt(c.name).map((i) => i.letter.toUpperCase()).join('').startsWith(upper),
  );
}

const contacts = [
  { name: '王小明', tel: '+86 138 0013 8000' },
  { name: 'Zoë Ångström', tel: '+46 70 123 45 67' },
  { name: 'محمد علي', tel: '+20 10 1234 5678' },
  { name: 'Дмитрий 🙂', tel: '+7 912 345-67-89' },
];

const input = document.getElementById('search');
const results = document.getElementById('results');

input.addEventListener('input', () => {
  results.textContent = '';
  if (!input.value.trim()) return;
  const re = matcher(input.value.trim());
  for (const contact of search(contacts, input.value.trim())) {
    const li = document.createElement('li');
    li.tabIndex = -1;
    li.dataset.tel = contact.tel.replace(NOT_DIALABLE, '');
    li.append(highlight(contact.name, re));
    results.append(li);
  }
});

results.addEventListener('keydown', (event) => {
  if (event.key === 'Call' || event.key === 'Enter') {
    const tel = event.target.dataset.tel;
    if (tel) new MozActivity({ name: 'dial', data: { type: 'webtelephony/number', number: tel } });
  }
});
