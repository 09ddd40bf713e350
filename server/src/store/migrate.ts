/**
 * Numbered schema migrations, shared by both stores. Version N is what migrations 1..N made; a store records
 * its version (SQLite: `PRAGMA user_version`, PostgreSQL: the `schema_version` table) in the transaction that
 * runs the pending migrations, so a failed migration leaves the store exactly as it was.
 */
export interface Migration<Db> {
  version: number;
  name: string;
  up(db: Db): void | Promise<void>;
}

/** Check a migration list is 1, 2, 3, ... and return its last version. */
export function latestVersion(migrations: ReadonlyArray<Migration<unknown>>): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
    }
  });
  return migrations.length;
}

/** Refuse a store written by a newer version of the service, before anything is written to it. */
export function refuseNewer(where: string, found: number, known: number): void {
  if (found > known) {
    throw new Error(
      `${where} has schema version ${found}, but this service knows versions up to ${known}: ` +
        'it was written by a newer release. Run that release (or newer) on it; it was left unmodified.'
    );
  }
}
