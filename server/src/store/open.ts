import { SqliteStore } from './sqlite';
import type { Store } from './types';

/** `RLHF_DB`: a SQLite file path or ':memory:'. */
export async function openStore(db: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(db)) {
    throw new Error('RLHF_DB: PostgreSQL is not supported yet; use a SQLite file path');
  }
  return new SqliteStore(db);
}
