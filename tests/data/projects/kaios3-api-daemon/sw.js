/* App Stats service worker: KaiOS 3 delivers system messages and activities here. */
'use strict';

self.addEventListener('install', (evt) => {
  evt.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (evt) => {
  evt.waitUntil(self.clients.claim());
});

self.addEventListener('systemmessage', (evt) => {
  switch (evt.name) {
    case 'alarm':
      evt.waitUntil(self.registration.showNotification('App Stats', {
        body: 'Time to tidy up your apps',
        icon: '/icons/56.png',
        tag: 'tidy'
      }));
      break;
    case 'activity': {
      const handler = evt.data.webActivityRequestHandler();
      const { name } = handler.source;
      if (name === 'pick-app') {
        evt.waitUntil(self.clients.openWindow('/index.html?pick').then(() => {
          handler.postResult({ opened: true });
        }));
      }
      break;
    }
  }
});

self.addEventListener('notificationclick', (evt) => {
  evt.notification.close();
  evt.waitUntil(self.clients.openWindow('/index.html'));
});
