// error: line 17 col 51
// A typo in a TypeScript service: the return type's type argument list is not closed.
import { Store } from './store';

export interface Row {
  id: string;
  name?: string;
}

export class RowService {
  private cache = new Map<string, Row>();

  constructor(private readonly store: Store<Row>, limit = 20) {
    this.store.limit(limit);
  }

  async load(id: string): Promise<Row | undefined {
    return this.cache.get(id) ?? ((await this.store.get(id)) as Row);
  }
}
