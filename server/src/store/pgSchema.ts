import type { PoolClient } from 'pg';
import type { Migration } from './migrate';

/**
 * Rollup levels: per series and bucket of this many ms (`bucket` is the bucket's start), the count and the
 * first, last, minimum and maximum point, kept up to date on ingest, so a plot over a long range reads one row
 * per bucket instead of every point. A plot picks the finest level with few enough buckets in its range.
 */
export const LEVELS = [60_000, 960_000] as const;

/** Columns of a rollup row after its key, in table order. */
export const ROLLUP_COLUMNS = [
  'n',
  'f_ts',
  'f_step',
  'f_v',
  'l_ts',
  'l_step',
  'l_v',
  'mn_ts',
  'mn_step',
  'mn_v',
  'mx_ts',
  'mx_step',
  'mx_v',
] as const;

/** The identity of a point: its series and step, or its time when it has no step. */
export const POINT_KEY = '(series_id, (step IS NULL), (coalesce(step, ts)))';

/** Aggregates of first/last/min/max over `src` rows whose point columns are named by `col`. */
function summaryAggregates(count: string, col: (point: 'f' | 'l' | 'mn' | 'mx', c: 'ts' | 'step' | 'v') => string) {
  const first = `${col('f', 'ts')}, ${col('f', 'step')} NULLS FIRST`;
  const order = {
    f: first,
    l: `${col('l', 'ts')} DESC, ${col('l', 'step')} DESC NULLS LAST`,
    mn: `${col('mn', 'v')}, ${col('mn', 'ts')}, ${col('mn', 'step')} NULLS FIRST`,
    mx: `${col('mx', 'v')} DESC, ${col('mx', 'ts')}, ${col('mx', 'step')} NULLS FIRST`,
  };
  const parts = [count];
  for (const p of ['f', 'l', 'mn', 'mx'] as const) {
    for (const c of ['ts', 'step', 'v'] as const) {
      parts.push(`(array_agg(${col(p, c)} ORDER BY ${order[p]}))[1]`);
    }
  }
  return parts.join(', ');
}

/**
 * SQL recomputing the rollups of level `level` for the buckets given as $1 (series ids) and $2 (bucket
 * starts): from the points for level 0, else from the level below. Used when points are replaced (a repeat
 * with a new time or value), where the incremental merge cannot take the old point out.
 */
export function recomputeSql(level: number): [string, string] {
  const w = LEVELS[level];
  const cols = `series_id, level, bucket, ${ROLLUP_COLUMNS.join(', ')}`;
  const del = `DELETE FROM rollups r USING unnest($1::int[], $2::bigint[]) d(sid, bucket)
    WHERE r.series_id = d.sid AND r.level = ${level} AND r.bucket = d.bucket`;
  if (level === 0) {
    const aggs = summaryAggregates('count(*)', (_p, c) => (c === 'v' ? 'p.value' : `p.${c}`));
    return [
      del,
      `INSERT INTO rollups (${cols})
    SELECT d.sid, 0, d.bucket, ${aggs}
    FROM (SELECT DISTINCT * FROM unnest($1::int[], $2::bigint[])) d(sid, bucket)
    JOIN points p ON p.series_id = d.sid AND p.ts >= d.bucket AND p.ts < d.bucket + ${w}
    GROUP BY d.sid, d.bucket`,
    ];
  }
  const aggs = summaryAggregates('sum(c.n)', (p, c) => `c.${p}_${c}`);
  return [
    del,
    `INSERT INTO rollups (${cols})
    SELECT d.sid, ${level}, d.bucket, ${aggs}
    FROM (SELECT DISTINCT * FROM unnest($1::int[], $2::bigint[])) d(sid, bucket)
    JOIN rollups c ON c.series_id = d.sid AND c.level = ${level - 1} AND c.bucket >= d.bucket AND c.bucket < d.bucket + ${w}
    GROUP BY d.sid, d.bucket`,
  ];
}

/** The PostgreSQL schema as numbered migrations (the version is the `schema_version` table's one row). */
export const PG_MIGRATIONS: ReadonlyArray<Migration<PoolClient>> = [
  {
    // The schema as it stood before versions (databases made by earlier releases already have it).
    version: 1,
    name: 'baseline',
    async up(c) {
      await c.query(`
CREATE TABLE IF NOT EXISTS series (
  id SERIAL PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, phase TEXT NOT NULL, labels TEXT NOT NULL,
  UNIQUE (run, name, phase, labels));
CREATE TABLE IF NOT EXISTS points (series_id INTEGER NOT NULL, ts BIGINT NOT NULL, step BIGINT, value DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS points_series_ts ON points (series_id, ts);
CREATE TABLE IF NOT EXISTS annotations (dataset TEXT NOT NULL, item TEXT NOT NULL, annotator TEXT NOT NULL, label_text TEXT, label_num DOUBLE PRECISION, ts BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS annotations_dataset_ts ON annotations (dataset, ts);
CREATE TABLE IF NOT EXISTS predictions (model TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL, correct BOOLEAN NOT NULL, item TEXT, ts BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS predictions_model_ts ON predictions (model, ts);
CREATE TABLE IF NOT EXISTS samples (feature TEXT NOT NULL, source TEXT NOT NULL, value_text TEXT, value_num DOUBLE PRECISION, ts BIGINT NOT NULL);
CREATE INDEX IF NOT EXISTS samples_feature_source_ts ON samples (feature, source, ts);
CREATE TABLE IF NOT EXISTS events (ts BIGINT NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, tags TEXT[] NOT NULL, phase TEXT);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);`);
    },
  },
  {
    // A point is unique per series and step (or time without a step), an annotation per dataset, item and
    // annotator: the newest of earlier repeats is kept. Rollups for plots, filled from the points there are.
    version: 2,
    name: 'unique points and annotations, rollups',
    async up(c) {
      await c.query(`
DELETE FROM points p USING (
  SELECT ctid, row_number() OVER (PARTITION BY series_id, step IS NULL, coalesce(step, ts) ORDER BY ctid DESC) AS k
  FROM points) d
WHERE p.ctid = d.ctid AND d.k > 1;
CREATE UNIQUE INDEX points_key ON points ${POINT_KEY};
DELETE FROM annotations a USING (
  SELECT ctid, row_number() OVER (PARTITION BY dataset, item, annotator ORDER BY ctid DESC) AS k FROM annotations) d
WHERE a.ctid = d.ctid AND d.k > 1;
CREATE UNIQUE INDEX annotations_key ON annotations (dataset, item, annotator);
CREATE TABLE rollups (
  series_id INTEGER NOT NULL, level SMALLINT NOT NULL, bucket BIGINT NOT NULL, n BIGINT NOT NULL,
  f_ts BIGINT NOT NULL, f_step BIGINT, f_v DOUBLE PRECISION NOT NULL, l_ts BIGINT NOT NULL, l_step BIGINT, l_v DOUBLE PRECISION NOT NULL,
  mn_ts BIGINT NOT NULL, mn_step BIGINT, mn_v DOUBLE PRECISION NOT NULL, mx_ts BIGINT NOT NULL, mx_step BIGINT, mx_v DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (series_id, level, bucket));`);
      for (let level = 0; level < LEVELS.length; level++) {
        const w = LEVELS[level];
        const source =
          level === 0
            ? `SELECT series_id AS sid, ts - (ts % ${w} + ${w}) % ${w} AS bucket FROM points`
            : `SELECT series_id AS sid, bucket - (bucket % ${w} + ${w}) % ${w} AS bucket FROM rollups WHERE level = ${level - 1}`;
        const { rows } = await c.query(
          `SELECT array_agg(sid) AS s, array_agg(bucket) AS b FROM (SELECT DISTINCT * FROM (${source}) x) y`
        );
        if (rows[0].s) {
          for (const sql of recomputeSql(level)) {
            await c.query(sql, [rows[0].s, rows[0].b]);
          }
        }
      }
    },
  },
];
