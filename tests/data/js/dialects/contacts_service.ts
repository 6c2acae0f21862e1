// Contacts and messaging service of a KaiOS 2.5 app built with TypeScript
// (webpack + ts-loader, target ES5). 联系人同步 📇
import { Logger } from './logger';
import type { Settings } from './settings';

export enum SyncState {
  Idle = 'idle',
  Running = 'running',
  Failed = 'failed',
}

export const enum Direction {
  Up = -1,
  Down = 1,
}

export interface ContactRow {
  readonly id: string;
  name: string;
  tel?: string;
  [extra: string]: unknown;
}

interface FindOptions {
  filterBy?: string[];
  filterOp?: 'contains' | 'equals';
  filterValue?: string;
}

declare const BUILD_API_BASE: string;
declare global {
  interface Navigator {
    mozContacts: any;
    mozSetMessageHandler(type: string, handler: (message: unknown) => void): void;
  }
}

type Handler<T> = (message: T) => void;
type Position = typeof navigator.geolocation;

function injectable<T extends { new (...args: any[]): {} }>(constructor: T): T {
  return constructor;
}

function logged(target: object, key: string, descriptor: PropertyDescriptor): void {
  /* decorators run at class definition time */
}

const nav: Navigator = navigator;
const settingsUrl = 'http://config.example.com/settings.json' as const;

@injectable
export class ContactsService<T extends ContactRow = ContactRow> {
  private state: SyncState = SyncState.Idle;
  private readonly cache = new Map<string, T>();
  static instances?: number;

  constructor(private readonly logger: Logger, public baseUrl: string = 'http://api.example.com/v1') {}

  find(query: string, limit = 20): Promise<T[]> {
    const options: FindOptions = { filterBy: ['givenName', 'tel'], filterOp: 'contains', filterValue: query };
    return new Promise<T[]>((resolve, reject) => {
      const request = (navigator as any).mozContacts.find(options);
      request.onsuccess = () => resolve((request.result as T[]).slice(0, limit));
      request.onerror = () => reject(request.error!);
    });
  }

  @logged
  listen(onSms: Handler<{ body: string }>): void {
    navigator.mozSetMessageHandler('sms-received', (message: any) => onSms(message!));
  }

  locate(done: (lat: number, lon: number) => void): void {
    if ('geolocation' in navigator) {
      nav.geolocation.getCurrentPosition((pos: GeolocationPosition) => {
        done(pos.coords.latitude, pos.coords!.longitude);
      });
    }
  }

  async sync(settings?: Settings): Promise<SyncState> {
    this.state = SyncState.Running;
    const response = await fetch('http://sync.example.com/contacts?since=' + (settings?.lastSync ?? 0));
    const rows = (await response.json()) satisfies unknown as T[];
    for (const row of rows) {
      this.cache.set(row.id, row);
    }
    this.logger.info(`synced ${rows.length} rows from ${this.baseUrl}`);
    return (this.state = SyncState.Idle);
  }

  evaluate(expression: string): unknown {
    const compiled = new Function('row', 'return ' + expression);
    return window.eval(expression!) ?? compiled(<ContactRow>{ id: '1', name: 'x' });
  }

  schedule(code: string): number {
    return window.setTimeout(code as any, 1000) as unknown as number;
  }
}

export abstract class Store<K extends string, V> {
  protected abstract key(value: V): K;
  abstract load(): Promise<V[]>;

  open(name: string): IDBOpenDBRequest {
    return indexedDB.open(name, 2);
  }
}

export function settingsFor<T>(load: () => T): T | undefined {
  const xhr = new XMLHttpRequest({ mozSystem: true } as any);
  xhr.open('GET', settingsUrl);
  xhr.send();
  return load?.();
}

export default ContactsService;
