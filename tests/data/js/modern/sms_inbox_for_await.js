/*
 * SMS inbox: reads unread messages through the mozMobileMessage cursor as an async
 * generator and renders them with for await. 短信收件箱 📨
 */
'use strict';

const mobileMessage = navigator.mozMobileMessage;

async function* readMessages(filter, reverse = true) {
  const cursor = mobileMessage.getMessages(filter, reverse);
  while (true) {
    const message = await new Promise((resolve, reject) => {
      cursor.onsuccess = function () {
        resolve(this.done ? null : this.result);
      };
      cursor.onerror = function () {
        reject(this.error);
      };
    });
    if (!message) return;
    yield message;
    cursor.continue();
  }
}

async function* onlyFrom(messages, senders) {
  for await (const sms of messages) {
    if (senders.includes(sms.sender)) yield sms;
  }
}

function markRead(id) {
  return new Promise((resolve) => {
    const request = mobileMessage.markMessageRead(id, true);
    request.onsuccess = () => resolve(true);
    request.onerror = () => resolve(false);
  });
}

async function renderInbox(list, senders) {
  list.textContent = '';
  let count = 0;
  let source = readMessages({ delivery: 'received', read: false });
  if (senders) source = onlyFrom(source, senders);
  try {
    for await (const sms of source) {
      const li = document.createElement('li');
      li.tabIndex = count === 0 ? 0 : -1;
      li.dataset.id = String(sms.id);
      li.textContent = `${sms.sender}: ${sms.body.slice(0, 40)}`;
      list.appendChild(li);
      if (++count >= 50) break;
    }
  } catch {
    list.textContent = '无法读取短信 ⚠️';
  }
  return count;
}

async function markAllRead(list) {
  const ids = [...list.querySelectorAll('li')].map((li) => Number(li.dataset.id));
  for await (const done of ids.map(markRead)) {
    if (!done) console.warn('could not mark a message read');
  }
}

const inbox = document.getElementById('inbox');

document.addEventListener('keydown', async (event) => {
  switch (event.key) {
    case 'SoftLeft':
      await markAllRead(inbox);
      break;
    case 'SoftRight': {
      const shown = await renderInbox(inbox, ['10086', 'BANK']);
      document.getElementById('count').textContent = `${shown} 条`;
      break;
    }
    case 'Enter':
      document.activeElement?.classList.toggle('expanded');
      break;
  }
});

renderInbox(inbox);
