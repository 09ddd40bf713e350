import type Database from 'better-sqlite3';
import { decode } from './chunks';
import type { Migration } from './migrate';

/** Chunk summary columns, in the order of the chunks table (the blob comes after them). */
export const CHUNK_SUMMARY = [
  'n',
  'ts_min',
  'ts_max',
  'step_min',
  'step_max',
  'f_step',
  'f_v',
  'l_step',
  'l_v',
  'mn_ts',
  'mn_step',
  'mn_v',
  'mx_ts',
  'mx_step',
  'mx_v',
] as const;

const CHUNKS_TABLE = (name: string) => `
CREATE TABLE ${name} (
  id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, n INTEGER NOT NULL, ts_min INTEGER NOT NULL, ts_max INTEGER NOT NULL,
  step_min INTEGER, step_max INTEGER,
  f_step, f_v REAL, l_step, l_v REAL, mn_ts INTEGER, mn_step, mn_v REAL, mx_ts INTEGER, mx_step, mx_v REAL,
  -- last: columns after a blob sit behind its overflow pages, and the summaries are read without it
  data BLOB NOT NULL)`;

/**
 * The SQLite schema, as numbered migrations (the version is `PRAGMA user_version`). Never edit a released
 * migration: add the next one.
 */
export const SQLITE_MIGRATIONS: ReadonlyArray<Migration<Database.Database>> = [
  {
    // The schema as it stood before versions (files with user_version 0 already have it).
    version: 1,
    name: 'baseline',
    up(db) {
      db.exec(`
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, phase TEXT NOT NULL, labels TEXT NOT NULL,
  UNIQUE (run, name, phase, labels));
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, n INTEGER NOT NULL, ts_min INTEGER NOT NULL, ts_max INTEGER NOT NULL,
  f_step, f_v REAL, l_step, l_v REAL, mn_ts INTEGER, mn_step, mn_v REAL, mx_ts INTEGER, mx_step, mx_v REAL,
  data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_series_ts ON chunks (series_id, ts_max);
CREATE TABLE IF NOT EXISTS annotations (dataset TEXT NOT NULL, item TEXT NOT NULL, annotator TEXT NOT NULL, label, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS annotations_dataset_ts ON annotations (dataset, ts);
CREATE TABLE IF NOT EXISTS predictions (model TEXT NOT NULL, confidence REAL NOT NULL, correct INTEGER NOT NULL, item TEXT, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS predictions_model_ts ON predictions (model, ts);
CREATE TABLE IF NOT EXISTS samples (feature TEXT NOT NULL, source TEXT NOT NULL, value, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS samples_feature_source_ts ON samples (feature, source, ts);
CREATE TABLE IF NOT EXISTS events (ts INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, tags TEXT NOT NULL, phase TEXT);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);`);
    },
  },
  {
    // Appends go to one log in arrival order (`tail`: a small row per point, so a batch costs the same whether
    // it holds one series or a thousand), replayed into memory at start from each series' `tail_from` on, and
    // folded into a sealed chunk when a series has CHUNK points there; no more rewriting of an open chunk. Chunks are rebuilt in the current column
    // order whatever order an old file has (before the summaries moved ahead of the blob a plot read the blob's
    // overflow pages: 15 ms instead of 6), and gain their step range, which tells a repeated point (same step,
    // or same time without a step) from a new one without decoding every chunk. Annotations become unique per
    // (dataset, item, annotator): the newest of a repeated triple is kept.
    version: 2,
    name: 'tail, chunk layout and step range, unique annotations',
    up(db) {
      db.exec(CHUNKS_TABLE('chunks_v2'));
      const insert = db.prepare(
        `INSERT INTO chunks_v2 (id, series_id, ${CHUNK_SUMMARY.join(', ')}, data)
         VALUES (?, ?, ${CHUNK_SUMMARY.map(() => '?').join(', ')}, ?)`
      );
      // By column name, so any earlier column order is read correctly; in pages, to bound memory.
      const page = db.prepare(
        `SELECT id, series_id, n, ts_min, ts_max, f_step, f_v, l_step, l_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v, data
         FROM chunks WHERE id > ? ORDER BY id LIMIT 256`
      );
      for (let last = -Infinity; ;) {
        const rows = page.all(last) as Array<Record<string, number | Buffer | null>>;
        if (rows.length === 0) {
          break;
        }
        for (const r of rows) {
          const steps = decode(r.data as Buffer).step.filter((s): s is number => s !== null);
          const [stepMin, stepMax] = steps.length ? [Math.min(...steps), Math.max(...steps)] : [null, null];
          const summary = CHUNK_SUMMARY.map((c) => (c === 'step_min' ? stepMin : c === 'step_max' ? stepMax : r[c]));
          insert.run(r.id, r.series_id, ...summary, r.data);
          last = r.id as number;
        }
      }
      db.exec(`
DROP TABLE chunks;
ALTER TABLE chunks_v2 RENAME TO chunks;
CREATE INDEX chunks_series_ts ON chunks (series_id, ts_max);
CREATE TABLE tail (seq INTEGER PRIMARY KEY AUTOINCREMENT, series_id INTEGER NOT NULL, ts INTEGER NOT NULL, step INTEGER, value REAL NOT NULL);
ALTER TABLE series ADD COLUMN tail_from INTEGER NOT NULL DEFAULT 0;
DELETE FROM annotations WHERE rowid NOT IN (SELECT max(rowid) FROM annotations GROUP BY dataset, item, annotator);
CREATE UNIQUE INDEX annotations_key ON annotations (dataset, item, annotator);`);
    },
  },
];
