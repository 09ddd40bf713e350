import { SqliteStore } from './sqlite';
import type { Store } from './types';

/** `RLHF_DB`: a SQLite file path or ':memory:'; a postgres:// URL selects PostgreSQL. */
export async function openStore(db: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(db)) {
    const { PostgresStore } = await import('./postgres');
    return PostgresStore.connect(db);
  }
  return new SqliteStore(db);
}
