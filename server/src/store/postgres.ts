import { Pool, type PoolClient } from 'pg';
import type {
  AnnotationRecord,
  EventRecord,
  Phase,
  PredictionRecord,
  RecordKind,
  RlhfRecord,
  SampleRecord,
} from '@rlhf-monitor/contract';
import { plotPoints } from './chunks';
import { distinctLeading, distinctSecond } from './distinct';
import { latestVersion, type Migration, refuseNewer } from './migrate';
import { labelKey, patternList, seriesKey, toLike } from './patterns';
import { LEVELS, PG_MIGRATIONS, POINT_KEY, recomputeSql, ROLLUP_COLUMNS } from './pgSchema';
import {
  type CatalogOf,
  type MetricPoint,
  type NamePattern,
  type PredictionColumns,
  type SampleValues,
  readLimit,
  type ReadLimit,
  type Series,
  type SeriesKey,
  type Store,
  type TimeRange,
} from './types';

/** A LIKE filter on `column` for a name pattern, or '' for "all"; appends its parameters. */
function nameFilter(column: string, p: NamePattern, params: unknown[]): string {
  const list = patternList(p);
  if (!list) {
    return '';
  }
  return `(${list.map((pat) => `${column} LIKE $${params.push(toLike(pat))}`).join(' OR ')})`;
}

const where = (parts: string[]) => (parts.filter(Boolean).length ? `WHERE ${parts.filter(Boolean).join(' AND ')}` : '');
const num = (v: unknown) => (v === null ? null : Number(v));
/** A read limit as PostgreSQL's LIMIT operand (NULL: none). */
const sqlLimit = (limit: number) => (limit === Infinity ? null : limit);

type Metric = Extract<RlhfRecord, { kind: 'metric' }>;

/** Advisory lock spaces (first key of the two-key form): schema migration, and one lock per series id. */
const MIGRATION_LOCK = 0x726c6801;
const SERIES_LOCK = 0x726c6802;

/** The database a URL names, for messages (never the URL itself: it may hold a password). */
function dbName(url: string): string {
  try {
    return new URL(url).pathname.slice(1) || '(default database)';
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Bring the database to the newest version: the pending migrations and the version row in one transaction
 * (the database is either as it was, or current). An advisory lock lets one replica migrate while others
 * starting at the same time wait for it.
 */
async function migrate(pool: Pool, migrations: ReadonlyArray<Migration<PoolClient>>, url: string): Promise<void> {
  const known = latestVersion(migrations);
  const c = await pool.connect();
  try {
    await c.query('SELECT pg_advisory_lock($1, 0)', [MIGRATION_LOCK]);
    const { rows } = await c.query("SELECT to_regclass('schema_version') IS NOT NULL AS present");
    const current = rows[0].present
      ? Number((await c.query('SELECT version FROM schema_version')).rows[0]?.version ?? 0)
      : 0;
    refuseNewer(`PostgreSQL database ${dbName(url)}`, current, known);
    if (current === known) {
      return;
    }
    await c.query('BEGIN');
    try {
      await c.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
      for (const m of migrations.slice(current)) {
        await m.up(c);
      }
      await c.query('DELETE FROM schema_version');
      await c.query('INSERT INTO schema_version VALUES ($1)', [known]);
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    }
  } finally {
    await c.query('SELECT pg_advisory_unlock($1, 0)', [MIGRATION_LOCK]).catch(() => undefined);
    c.release();
  }
}

const bucketOf = (ts: number, level: number) => Math.floor(ts / LEVELS[level]) * LEVELS[level];
const pointKey = (sid: number, ts: number, step: number | null) => `${sid} ${step === null ? `t${ts}` : `s${step}`}`;
const byKey =
  <T>(keyOf: (x: T) => string) =>
  (a: T, b: T) =>
    keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0;

/** One rollup row being merged: [n, f_ts, f_step, f_v, l_ts, l_step, l_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v]. */
type Summary = Array<number | null>;

function addToSummary(s: Summary | undefined, p: MetricPoint): Summary {
  if (!s) {
    return [1, p.ts, p.step, p.value, p.ts, p.step, p.value, p.ts, p.step, p.value, p.ts, p.step, p.value];
  }
  const before = (ts: number, step: number | null, ts2: number, step2: number | null) =>
    ts < ts2 || (ts === ts2 && (step ?? -1) < (step2 ?? -1));
  s[0] = (s[0] as number) + 1;
  if (before(p.ts, p.step, s[1] as number, s[2])) {
    [s[1], s[2], s[3]] = [p.ts, p.step, p.value];
  }
  if (before(s[4] as number, s[5], p.ts, p.step)) {
    [s[4], s[5], s[6]] = [p.ts, p.step, p.value];
  }
  if (p.value < (s[9] as number)) {
    [s[7], s[8], s[9]] = [p.ts, p.step, p.value];
  }
  if (p.value > (s[12] as number)) {
    [s[10], s[11], s[12]] = [p.ts, p.step, p.value];
  }
  return s;
}

/** Merge summaries of new points into rollup rows: counts add, first/last/min/max keep the winner. */
const MERGE_ROLLUPS = (() => {
  const keep = (cond: string, cols: string[]) =>
    cols.map((c) => `${c} = CASE WHEN ${cond} THEN excluded.${c} ELSE r.${c} END`);
  const earlier = (a: string, b: string, p: string) =>
    `(${a}.${p}_ts < ${b}.${p}_ts OR (${a}.${p}_ts = ${b}.${p}_ts AND coalesce(${a}.${p}_step, -1) < coalesce(${b}.${p}_step, -1)))`;
  const types = ['bigint', 'bigint', 'bigint', 'float8', 'bigint', 'bigint', 'float8', 'bigint', 'bigint', 'float8'];
  const arrays = ['int', 'int2', 'bigint', ...types, 'bigint', 'bigint', 'float8'].map((t, i) => `$${i + 1}::${t}[]`);
  return `INSERT INTO rollups AS r (series_id, level, bucket, ${ROLLUP_COLUMNS.join(', ')})
    SELECT * FROM unnest(${arrays.join(', ')})
    ON CONFLICT (series_id, level, bucket) DO UPDATE SET n = r.n + excluded.n, ${[
      ...keep(earlier('excluded', 'r', 'f'), ['f_ts', 'f_step', 'f_v']),
      ...keep(earlier('r', 'excluded', 'l'), ['l_ts', 'l_step', 'l_v']),
      ...keep('excluded.mn_v < r.mn_v', ['mn_ts', 'mn_step', 'mn_v']),
      ...keep('excluded.mx_v > r.mx_v', ['mx_ts', 'mx_step', 'mx_v']),
    ].join(', ')}`;
})();

/**
 * PostgreSQL store for teams that outgrow one machine (`RLHF_DB=postgres://...`), safe for several service
 * replicas on one database. Same contract as the SQLite store; batches are written with one `unnest`
 * statement per table inside one transaction. Locks are taken in one global order: new series keys sorted,
 * then a transaction advisory lock per series id ascending (after which the batch alone writes those series'
 * points and rollups), then annotations sorted by key. So concurrent batches wait for each other instead of
 * deadlocking; two batches for the same series run one after the other. Rollups per series and time bucket
 * keep long-range plots cheap.
 */
export class PostgresStore implements Store {
  private constructor(private readonly pool: Pool) {}

  static async connect(
    url: string,
    opts: { migrations?: ReadonlyArray<Migration<PoolClient>> } = {}
  ): Promise<PostgresStore> {
    const pool = new Pool({ connectionString: url, max: 4 });
    try {
      await migrate(pool, opts.migrations ?? PG_MIGRATIONS, url);
    } catch (e) {
      await pool.end();
      throw e;
    }
    return new PostgresStore(pool);
  }

  /** Ids of the batch's series, creating the new ones (in sorted key order: see the class comment). */
  private async seriesIds(c: PoolClient, metrics: Metric[]) {
    const keys = new Map<string, [string, string, string, string]>();
    for (const m of metrics) {
      const labels = labelKey(m.labels);
      keys.set(seriesKey(m.run, m.name, m.phase, labels), [m.run, m.name, m.phase, labels]);
    }
    const sorted = [...keys].sort(byKey(([k]) => k)).map(([, v]) => v);
    const cols = [0, 1, 2, 3].map((i) => sorted.map((k) => k[i]));
    await c.query(
      `INSERT INTO series (run, name, phase, labels)
       SELECT run, name, phase, labels FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         WITH ORDINALITY AS k(run, name, phase, labels, i) ORDER BY i
       ON CONFLICT DO NOTHING`,
      cols
    );
    const { rows } = await c.query(
      `SELECT s.id, s.run, s.name, s.phase, s.labels FROM series s
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(run, name, phase, labels)
       USING (run, name, phase, labels)`,
      cols
    );
    return new Map(rows.map((r) => [seriesKey(r.run, r.name, r.phase, r.labels), r.id as number]));
  }

  /** Upsert the batch's points (one per key, the last repeat winning) and bring their rollups up to date. */
  private async writePoints(c: PoolClient, metrics: Metric[]) {
    const ids = await this.seriesIds(c, metrics);
    const unique = new Map<string, { sid: number; ts: number; step: number | null; value: number }>();
    for (const m of metrics) {
      const sid = ids.get(seriesKey(m.run, m.name, m.phase, labelKey(m.labels))) as number;
      unique.set(pointKey(sid, m.ts, m.step), { sid, ts: m.ts, step: m.step, value: m.value });
    }
    const points = [...unique.values()].sort(
      (a, b) => a.sid - b.sid || +(a.step === null) - +(b.step === null) || (a.step ?? a.ts) - (b.step ?? b.ts)
    );
    // From here on this batch alone writes these series' points and rollups (see the class comment).
    await c.query('SELECT pg_advisory_xact_lock($1, id) FROM (SELECT DISTINCT unnest($2::int[]) AS id ORDER BY 1) t', [
      SERIES_LOCK,
      [...new Set(points.map((p) => p.sid))],
    ]);
    const cols = [
      points.map((p) => p.sid),
      points.map((p) => p.ts),
      points.map((p) => p.step),
      points.map((p) => p.value),
    ];
    // The points these replace, as they were (their time may differ; both statements of the WITH see one snapshot).
    const { rows: replaced } = await c.query(
      `WITH input AS (SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::float8[]) AS i(sid, ts, step, value)),
       old AS (SELECT p.series_id AS sid, p.ts, p.step FROM points p JOIN input i ON p.series_id = i.sid
               AND (p.step IS NULL) = (i.step IS NULL) AND coalesce(p.step, p.ts) = coalesce(i.step, i.ts)),
       ins AS (INSERT INTO points (series_id, ts, step, value) SELECT * FROM input
               ON CONFLICT ${POINT_KEY} DO UPDATE SET ts = excluded.ts, value = excluded.value)
       SELECT sid, ts, step FROM old`,
      cols
    );
    const isReplaced = new Set(
      replaced.map((r) => pointKey(r.sid, Number(r.ts), r.step === null ? null : Number(r.step)))
    );
    // Buckets holding a replaced point (before or after) are recomputed; new points are merged in.
    const dirty = LEVELS.map(() => new Map<string, [number, number]>());
    const merged = LEVELS.map(() => new Map<string, [number, number, Summary]>());
    const markDirty = (sid: number, ts: number) =>
      LEVELS.forEach((_, l) => dirty[l].set(`${sid} ${bucketOf(ts, l)}`, [sid, bucketOf(ts, l)]));
    for (const r of replaced) {
      markDirty(r.sid, Number(r.ts));
    }
    for (const p of points) {
      if (isReplaced.has(pointKey(p.sid, p.ts, p.step))) {
        markDirty(p.sid, p.ts);
        continue;
      }
      LEVELS.forEach((_, l) => {
        const key = `${p.sid} ${bucketOf(p.ts, l)}`;
        const m = merged[l].get(key);
        merged[l].set(key, [p.sid, bucketOf(p.ts, l), addToSummary(m?.[2], p)]);
      });
    }
    const rows = merged
      .flatMap((m, level) => [...m.values()].map(([sid, bucket, s]) => ({ sid, level, bucket, s })))
      .sort((a, b) => a.sid - b.sid || a.level - b.level || a.bucket - b.bucket);
    if (rows.length) {
      await c.query(MERGE_ROLLUPS, [
        rows.map((r) => r.sid),
        rows.map((r) => r.level),
        rows.map((r) => r.bucket),
        ...ROLLUP_COLUMNS.map((_, i) => rows.map((r) => r.s[i])),
      ]);
    }
    for (let level = 0; level < LEVELS.length; level++) {
      const d = [...dirty[level].values()];
      if (d.length) {
        for (const sql of recomputeSql(level)) {
          await c.query(sql, [d.map(([sid]) => sid), d.map(([, b]) => b)]);
        }
      }
    }
  }

  async insert(records: RlhfRecord[]): Promise<void> {
    const by = <K extends RecordKind>(k: K) =>
      records.filter((r): r is Extract<RlhfRecord, { kind: K }> => r.kind === k);
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const metrics = by('metric');
      if (metrics.length) {
        await this.writePoints(c, metrics);
      }
      // One row per (dataset, item, annotator), the last repeat winning, in key order.
      const a = [...new Map(by('annotation').map((r) => [JSON.stringify([r.dataset, r.item, r.annotator]), r]))]
        .sort(byKey(([k]) => k))
        .map(([, r]) => r);
      if (a.length) {
        await c.query(
          `INSERT INTO annotations SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[])
           ON CONFLICT (dataset, item, annotator) DO UPDATE
           SET label_text = excluded.label_text, label_num = excluded.label_num, ts = excluded.ts`,
          [
            a.map((r) => r.dataset),
            a.map((r) => r.item),
            a.map((r) => r.annotator),
            a.map((r) => (typeof r.label === 'string' ? r.label : null)),
            a.map((r) => (typeof r.label === 'number' ? r.label : null)),
            a.map((r) => r.ts),
          ]
        );
      }
      const p = by('prediction');
      if (p.length) {
        await c.query(
          'INSERT INTO predictions SELECT * FROM unnest($1::text[], $2::float8[], $3::bool[], $4::text[], $5::bigint[])',
          [
            p.map((r) => r.model),
            p.map((r) => r.confidence),
            p.map((r) => r.correct),
            p.map((r) => r.item),
            p.map((r) => r.ts),
          ]
        );
      }
      const s = by('sample');
      if (s.length) {
        await c.query(
          'INSERT INTO samples SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bigint[])',
          [
            s.map((r) => r.feature),
            s.map((r) => r.source),
            s.map((r) => (typeof r.value === 'string' ? r.value : null)),
            s.map((r) => (typeof r.value === 'number' ? r.value : null)),
            s.map((r) => r.ts),
          ]
        );
      }
      // Events are few; tags are arrays, which unnest would flatten.
      for (const e of by('event')) {
        await c.query('INSERT INTO events VALUES ($1, $2, $3, $4, $5)', [e.ts, e.title, e.text, e.tags, e.phase]);
      }
      await c.query('COMMIT');
    } catch (e) {
      await c.query('ROLLBACK');
      throw e;
    } finally {
      c.release();
    }
  }

  private async keys(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase }) {
    const params: unknown[] = [];
    const conds = [nameFilter('run', q.runs, params), nameFilter('name', q.metrics, params)];
    if (q.phase) {
      conds.push(`phase = $${params.push(q.phase)}`);
    }
    const { rows } = await this.pool.query(
      `SELECT id, run, name, phase, labels FROM series ${where(conds)} ORDER BY run, name, labels`,
      params
    );
    return rows.map((r) => ({
      id: r.id as number,
      run: r.run,
      name: r.name,
      phase: r.phase as Phase,
      labels: JSON.parse(r.labels),
    }));
  }

  /** Points of one series in a range, oldest first, at most `limit`; `edges` reads only [from, lo) and [hi, to]. */
  private async points(id: number, range: TimeRange, limit: number, edges?: [number, number]): Promise<MetricPoint[]> {
    const spans = edges
      ? [
          [range.from, edges[0] - 1],
          [edges[1], range.to],
        ]
      : [[range.from, range.to]];
    // A query per span, so each is one index range (an OR would let the planner scan the whole range).
    const sql = 'SELECT ts, step, value FROM points WHERE series_id = $1 AND ts BETWEEN $2 AND $3';
    const { rows } = await this.pool.query(
      `${spans.map((_, i) => sql.replace('$2', `$${2 * i + 2}`).replace('$3', `$${2 * i + 3}`)).join(' UNION ALL ')}
       ORDER BY ts, step NULLS FIRST LIMIT $${2 * spans.length + 2}`,
      [id, ...spans.flat(), sqlLimit(limit)]
    );
    return rows.map((r) => ({ ts: Number(r.ts), step: num(r.step), value: r.value }));
  }

  async series(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange } & ReadLimit
  ): Promise<Series[]> {
    const out: Series[] = [];
    let left = readLimit(q);
    for (const { id, ...key } of await this.keys(q)) {
      if (left <= 0) {
        break;
      }
      const points = await this.points(id, q.range, left);
      left -= points.length;
      if (points.length) {
        out.push({ ...key, points });
      }
    }
    return out;
  }

  /**
   * Every point when the range holds few; else, from the finest rollup level with at most 8 × maxPoints buckets
   * in the range, each whole bucket's first, minimum, maximum and last point (min/max downsampling keeps every
   * spike), plus the points of the partly covered buckets at both ends. Reads O(buckets), not O(points).
   */
  async seriesForPlot(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange } & ReadLimit,
    maxPoints: number
  ): Promise<Series[]> {
    const out: Series[] = [];
    let left = readLimit(q);
    const { from, to } = q.range;
    const coarsest = LEVELS.length - 1;
    const found = LEVELS.findIndex((w) => (to - from) / w <= 8 * maxPoints);
    const level = found < 0 ? coarsest : found;
    const w = LEVELS[level];
    const [lo, hi] = [Math.ceil(from / w) * w, Math.floor((to + 1) / w) * w];
    for (const { id, ...key } of await this.keys(q)) {
      if (left <= 0) {
        break;
      }
      const { rows: total } = await this.pool.query(
        'SELECT coalesce(sum(n), 0) AS n FROM rollups WHERE series_id = $1 AND level = $2 AND bucket > $3 AND bucket <= $4',
        [id, coarsest, from - LEVELS[coarsest], to]
      );
      // Rollups pay off only when the range holds many more points than the plot, and enough buckets that
      // their 4 points each still give the downsampler twice the points it may keep.
      if (Number(total[0].n) <= 4 * maxPoints || (hi - lo) / w < maxPoints / 2) {
        const points = await this.points(id, q.range, left);
        left -= points.length;
        if (points.length) {
          out.push({ ...key, points });
        }
        continue;
      }
      // Each bucket and each edge point gives at least one distinct plot point: `left` of either is enough.
      const { rows } = await this.pool.query(
        `SELECT f_ts, f_step, f_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v, l_ts, l_step, l_v FROM rollups
         WHERE series_id = $1 AND level = $2 AND bucket >= $3 AND bucket < $4 ORDER BY bucket LIMIT $5`,
        [id, level, lo, hi, sqlLimit(left)]
      );
      const points = await this.points(id, q.range, left, [lo, hi]);
      for (const r of rows) {
        for (const p of ['f', 'mn', 'mx', 'l']) {
          points.push({ ts: Number(r[`${p}_ts`]), step: num(r[`${p}_step`]), value: r[`${p}_v`] });
        }
      }
      const plot = plotPoints(points).slice(0, left);
      left -= plot.length;
      if (plot.length) {
        out.push({ ...key, points: plot });
      }
    }
    return out;
  }

  async latest(q: { phase?: Phase }): Promise<Array<SeriesKey & MetricPoint>> {
    const out: Array<SeriesKey & MetricPoint> = [];
    for (const { id, ...key } of await this.keys(q)) {
      const { rows } = await this.pool.query(
        'SELECT ts, step, value FROM points WHERE series_id = $1 ORDER BY ts DESC, step DESC NULLS LAST LIMIT 1',
        [id]
      );
      if (rows[0]) {
        out.push({ ...key, ts: Number(rows[0].ts), step: num(rows[0].step), value: rows[0].value });
      }
    }
    return out;
  }

  async annotations(q: { dataset: string; range: TimeRange } & ReadLimit): Promise<AnnotationRecord[]> {
    // Rows as arrays, one record object each (as the SQLite store reads them).
    const { rows } = await this.pool.query({
      text: 'SELECT item, annotator, label_text, label_num, ts FROM annotations WHERE dataset = $1 AND ts BETWEEN $2 AND $3 ORDER BY ts LIMIT $4',
      values: [q.dataset, q.range.from, q.range.to, sqlLimit(readLimit(q))],
      rowMode: 'array',
    });
    const dataset = q.dataset;
    return rows.map(([item, annotator, text, num, ts]) => ({
      kind: 'annotation',
      dataset,
      item,
      annotator,
      label: text ?? num,
      ts: Number(ts),
    }));
  }

  async predictions(q: { model: NamePattern; range: TimeRange } & ReadLimit): Promise<PredictionRecord[]> {
    const params: unknown[] = [q.range.from, q.range.to];
    const conds = ['ts BETWEEN $1 AND $2', nameFilter('model', q.model, params)];
    const { rows } = await this.pool.query({
      text: `SELECT model, confidence, correct, item, ts FROM predictions ${where(conds)} ORDER BY ts LIMIT $${params.push(sqlLimit(readLimit(q)))}`,
      values: params,
      rowMode: 'array',
    });
    return rows.map(([model, confidence, correct, item, ts]) => ({
      kind: 'prediction',
      model,
      confidence,
      correct,
      item,
      ts: Number(ts),
    }));
  }

  async samples(q: { feature: string; source: string; range: TimeRange } & ReadLimit): Promise<SampleRecord[]> {
    const { rows } = await this.pool.query({
      text: 'SELECT value_text, value_num, ts FROM samples WHERE feature = $1 AND source = $2 AND ts BETWEEN $3 AND $4 ORDER BY ts LIMIT $5',
      values: [q.feature, q.source, q.range.from, q.range.to, sqlLimit(readLimit(q))],
      rowMode: 'array',
    });
    const { feature, source } = q;
    return rows.map(([text, num, ts]) => ({ kind: 'sample', feature, source, value: text ?? num, ts: Number(ts) }));
  }

  async predictionColumns(
    q: { model: string; range: TimeRange; times?: boolean } & ReadLimit
  ): Promise<PredictionColumns> {
    const { rows } = await this.pool.query({
      text: 'SELECT confidence, correct, ts FROM predictions WHERE model = $1 AND ts BETWEEN $2 AND $3 ORDER BY ts LIMIT $4',
      values: [q.model, q.range.from, q.range.to, sqlLimit(readLimit(q))],
      rowMode: 'array',
    });
    const c: PredictionColumns = {
      confidence: rows.map((r) => r[0]),
      correct: rows.map((r) => (r[1] ? 1 : 0)),
      last: rows.length ? Number(rows[rows.length - 1][2]) : null,
    };
    return q.times ? { ...c, ts: rows.map((r) => Number(r[2])) } : c;
  }

  async sampleValues(q: { feature: string; source: string; range: TimeRange } & ReadLimit): Promise<SampleValues> {
    const { rows } = await this.pool.query({
      text: 'SELECT value_text, value_num, ts FROM samples WHERE feature = $1 AND source = $2 AND ts BETWEEN $3 AND $4 ORDER BY ts LIMIT $5',
      values: [q.feature, q.source, q.range.from, q.range.to, sqlLimit(readLimit(q))],
      rowMode: 'array',
    });
    return {
      values: rows.map((r) => r[0] ?? r[1]),
      last: rows.length ? Number(rows[rows.length - 1][2]) : null,
    };
  }

  async events(q: { tags?: string[]; phase?: Phase; range: TimeRange; limit?: number }): Promise<EventRecord[]> {
    const params: unknown[] = [q.range.from, q.range.to];
    const conds = ['ts BETWEEN $1 AND $2'];
    if (q.phase) {
      conds.push(`phase = $${params.push(q.phase)}`);
    }
    if (q.tags?.length) {
      conds.push(`tags @> $${params.push(q.tags)}::text[]`);
    }
    const { rows } = await this.pool.query(
      `SELECT * FROM events ${where(conds)} ORDER BY ts LIMIT $${params.push(q.limit ?? 10_000)}`,
      params
    );
    return rows.map((r) => ({
      kind: 'event',
      ts: Number(r.ts),
      title: r.title,
      text: r.text,
      tags: r.tags,
      phase: r.phase,
    }));
  }

  async catalog(of: CatalogOf, q: { run?: NamePattern; phase?: Phase } = {}): Promise<string[]> {
    const params: unknown[] = [];
    const phase = () => (q.phase ? (params.push(q.phase), `phase = $${params.length}`) : '');
    const sql: Record<CatalogOf, () => string> = {
      runs: () => `SELECT DISTINCT run AS v FROM series ${where([phase()])}`,
      metrics: () => `SELECT DISTINCT name AS v FROM series ${where([nameFilter('run', q.run, params), phase()])}`,
      // Through the indexes that lead with these names (distinct.ts), not a scan of every record.
      models: () => distinctLeading('predictions', 'model'),
      datasets: () => distinctLeading('annotations', 'dataset'),
      features: () => distinctLeading('samples', 'feature'),
      sources: () => distinctSecond('samples', 'feature', 'source'),
    };
    // COLLATE "C" orders like SQLite (byte order), so both stores list names identically.
    const { rows } = await this.pool.query(`SELECT v FROM (${sql[of]()}) t ORDER BY v COLLATE "C"`, params);
    return rows.map((r) => r.v);
  }

  async counts(): Promise<Record<RecordKind, number>> {
    const { rows } = await this.pool.query(`SELECT
      (SELECT count(*) FROM points) AS metric, (SELECT count(*) FROM annotations) AS annotation,
      (SELECT count(*) FROM predictions) AS prediction, (SELECT count(*) FROM samples) AS sample,
      (SELECT count(*) FROM events) AS event`);
    const r = rows[0];
    return {
      metric: +r.metric,
      annotation: +r.annotation,
      prediction: +r.prediction,
      sample: +r.sample,
      event: +r.event,
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
