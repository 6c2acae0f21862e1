// Progressive web app bootstrap written for desktop browsers and dropped
// into a KaiOS 2.5 package as-is. Nothing here checks for support.

const sw = navigator.serviceWorker;
const APP_VERSION = '1.4.2';

function registerServiceWorker() {
  // unguarded, directly on navigator
  return navigator.serviceWorker.register('./service-worker.js', { scope: './' });
}

function listenForUpdates() {
  // unguarded, through the alias
  sw.addEventListener('controllerchange', function () {
    window.location.reload();
  });
  sw.ready.then(function (registration) {
    registration.addEventListener('updatefound', function () {
      const worker = registration.installing;
      worker.addEventListener('statechange', function () {
        if (worker.state === 'installed' && sw.controller) {
          showUpdateBanner();
        }
      });
    });
  });
}

function showUpdateBanner() {
  const banner = document.createElement('div');
  banner.className = 'update-banner';
  banner.textContent = 'Version ' + APP_VERSION + ' is ready — press OK to reload';
  document.body.appendChild(banner);
}

class Bootstrap {
  constructor(root) {
    this.root = root;
  }

  start() {
    registerServiceWorker().then(() => listenForUpdates());
    // alias registration call
    sw.register('./offline-worker.js');
    this.root.classList.add('ready');
  }

  unregisterAll() {
    return sw.getRegistrations().then((regs) => Promise.all(regs.map((r) => r.unregister())));
  }
}

const nav = navigator;
nav.serviceWorker.register('./push-worker.js');

window.addEventListener('DOMContentLoaded', () => {
  new Bootstrap(document.getElementById('app')).start();
});
