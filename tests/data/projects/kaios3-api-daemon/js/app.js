/* global lib_session, lib_apps, Softkeys */
'use strict';

class AppStats {
  apps = [];
  sortBy = 'name';

  constructor(list) {
    this.list = list;
    this.session = new lib_session.Session();
    this.appsManager = null;
  }

  connect() {
    const sessionstate = {
      onsessionconnected: async () => {
        this.appsManager = await lib_apps.AppsManager.get(this.session);
        await this.refresh();
      },
      onsessiondisconnected: () => {
        this.appsManager = null;
        document.getElementById('summary').textContent = 'Disconnected from the api-daemon';
      }
    };
    // "secrettoken" is the well-known placeholder the api-daemon accepts from apps
    this.session.open('websocket', 'localhost', 'secrettoken', sessionstate, true);
  }

  async refresh() {
    const all = await this.appsManager.getAll();
    this.apps = (all ?? []).map((app) => ({
      ...app,
      title: app.name || app.manifestUrl,
      hasUpdate: app.updateState === lib_apps.AppsUpdateState?.AVAILABLE
    }));
    this.render();
  }

  render() {
    const sorted = [...this.apps].sort((a, b) =>
      this.sortBy === 'name' ? a.title.localeCompare(b.title) : String(a.status).localeCompare(String(b.status)));
    this.list.innerHTML = '';
    for (const app of sorted) {
      const li = document.createElement('li');
      li.tabIndex = 0;
      li.dataset.manifest = app.manifestUrl;
      li.innerHTML = `<span class="name"></span><span class="state"></span>`;
      li.querySelector('.name').textContent = app.title;
      li.querySelector('.state').textContent = app.hasUpdate ? 'update' : String(app.status).toLowerCase();
      this.list.appendChild(li);
    }
    const updates = this.apps.filter((a) => a.hasUpdate).length;
    document.getElementById('summary').textContent = `${this.apps.length} apps, ${updates} with updates`;
    this.list.firstElementChild?.focus();
  }

  move(step) {
    const items = [...this.list.children];
    const i = items.indexOf(document.activeElement);
    items[(i + step + items.length) % items.length]?.focus();
  }

  details() {
    const url = document.activeElement?.dataset?.manifest;
    if (!url) return;
    const app = this.apps.find((a) => a.manifestUrl === url);
    alert(`${app.title}\n${app.manifestUrl}\nstatus: ${app.status}`);
  }

  async remindWeekly() {
    const when = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    await navigator.b2g.alarmManager.add({ date: when, ignoreTimezone: true, data: { kind: 'tidy' } });
    document.getElementById('summary').textContent = `Reminder set for ${when.toLocaleDateString()}`;
  }
}

const stats = new AppStats(document.getElementById('apps'));

document.addEventListener('keydown', (e) => {
  switch (e.key) {
    case 'ArrowDown': stats.move(1); break;
    case 'ArrowUp': stats.move(-1); break;
    case 'Enter': stats.details(); break;
    case 'SoftLeft':
      stats.sortBy = stats.sortBy === 'name' ? 'status' : 'name';
      stats.render();
      break;
    case 'SoftRight':
      stats.remindWeekly().catch((err) => console.error('alarm', err));
      break;
  }
});

if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch((err) => console.warn('sw', err));
}

Softkeys.set({ left: 'Sort', center: 'Details', right: 'Remind' });
stats.connect();
