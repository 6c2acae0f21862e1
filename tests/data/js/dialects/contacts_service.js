// The JavaScript twin of contacts_service.ts: the same code with the types erased
// (what tsc emits, before down-levelling). 联系人同步 📇
import { Logger } from './logger';

export var SyncState;
(function (SyncState) {
  SyncState['Idle'] = 'idle';
  SyncState['Running'] = 'running';
  SyncState['Failed'] = 'failed';
})(SyncState || (SyncState = {}));

function injectable(constructor) {
  return constructor;
}

function logged(target, key, descriptor) {
  /* decorators run at class definition time */
}

const nav = navigator;
const settingsUrl = 'http://config.example.com/settings.json';

export class ContactsService {
  constructor(logger, baseUrl = 'http://api.example.com/v1') {
    this.logger = logger;
    this.baseUrl = baseUrl;
    this.state = SyncState.Idle;
    this.cache = new Map();
  }

  find(query, limit = 20) {
    const options = { filterBy: ['givenName', 'tel'], filterOp: 'contains', filterValue: query };
    return new Promise((resolve, reject) => {
      const request = navigator.mozContacts.find(options);
      request.onsuccess = () => resolve(request.result.slice(0, limit));
      request.onerror = () => reject(request.error);
    });
  }

  listen(onSms) {
    navigator.mozSetMessageHandler('sms-received', (message) => onSms(message));
  }

  locate(done) {
    if ('geolocation' in navigator) {
      nav.geolocation.getCurrentPosition((pos) => {
        done(pos.coords.latitude, pos.coords.longitude);
      });
    }
  }

  async sync(settings) {
    this.state = SyncState.Running;
    const response = await fetch('http://sync.example.com/contacts?since=' + (settings?.lastSync ?? 0));
    const rows = await response.json();
    for (const row of rows) {
      this.cache.set(row.id, row);
    }
    this.logger.info(`synced ${rows.length} rows from ${this.baseUrl}`);
    return (this.state = SyncState.Idle);
  }

  evaluate(expression) {
    const compiled = new Function('row', 'return ' + expression);
    return window.eval(expression) ?? compiled({ id: '1', name: 'x' });
  }

  schedule(code) {
    return window.setTimeout(code, 1000);
  }
}

export class Store {
  open(name) {
    return indexedDB.open(name, 2);
  }
}

export function settingsFor(load) {
  const xhr = new XMLHttpRequest({ mozSystem: true });
  xhr.open('GET', settingsUrl);
  xhr.send();
  return load?.();
}

export default ContactsService;
