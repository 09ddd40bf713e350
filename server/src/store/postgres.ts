import { Pool, type PoolClient } from 'pg';
import type {
  AnnotationRecord,
  EventRecord,
  Phase,
  PredictionRecord,
  RecordKind,
  RlhfRecord,
  SampleRecord,
} from '../records/types';
import { labelKey, patternList, toLike } from './patterns';
import type { CatalogOf, MetricPoint, NamePattern, Series, SeriesKey, Store, TimeRange } from './types';

const SCHEMA = `
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
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
`;

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

/**
 * PostgreSQL store for teams that outgrow one machine (`RLHF_DB=postgres://...`). Same contract as the SQLite
 * store; batches are inserted with one `unnest` statement per table inside one transaction.
 */
export class PostgresStore implements Store {
  private constructor(private readonly pool: Pool) {}

  static async connect(url: string): Promise<PostgresStore> {
    const pool = new Pool({ connectionString: url, max: 4 });
    await pool.query(SCHEMA);
    return new PostgresStore(pool);
  }

  private async seriesIds(c: PoolClient, metrics: Array<Extract<RlhfRecord, { kind: 'metric' }>>) {
    const keys = new Map<string, [string, string, string, string]>();
    for (const m of metrics) {
      const labels = labelKey(m.labels);
      keys.set(`${m.run}\u0000${m.name}\u0000${m.phase}\u0000${labels}`, [m.run, m.name, m.phase, labels]);
    }
    const cols = [0, 1, 2, 3].map((i) => [...keys.values()].map((k) => k[i]));
    await c.query(
      `INSERT INTO series (run, name, phase, labels) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
       ON CONFLICT DO NOTHING`,
      cols
    );
    const { rows } = await c.query(
      `SELECT s.id, s.run, s.name, s.phase, s.labels FROM series s
       JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS k(run, name, phase, labels)
       USING (run, name, phase, labels)`,
      cols
    );
    return new Map(rows.map((r) => [`${r.run}\u0000${r.name}\u0000${r.phase}\u0000${r.labels}`, r.id as number]));
  }

  async insert(records: RlhfRecord[]): Promise<void> {
    const by = <K extends RecordKind>(k: K) =>
      records.filter((r): r is Extract<RlhfRecord, { kind: K }> => r.kind === k);
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const metrics = by('metric');
      if (metrics.length) {
        const ids = await this.seriesIds(c, metrics);
        await c.query('INSERT INTO points SELECT * FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::float8[])', [
          metrics.map((m) => ids.get(`${m.run}\u0000${m.name}\u0000${m.phase}\u0000${labelKey(m.labels)}`)),
          metrics.map((m) => m.ts),
          metrics.map((m) => m.step),
          metrics.map((m) => m.value),
        ]);
      }
      const a = by('annotation');
      if (a.length) {
        await c.query(
          'INSERT INTO annotations SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::bigint[])',
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

  async series(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange }): Promise<Series[]> {
    const out: Series[] = [];
    for (const { id, ...key } of await this.keys(q)) {
      const { rows } = await this.pool.query(
        'SELECT ts, step, value FROM points WHERE series_id = $1 AND ts BETWEEN $2 AND $3 ORDER BY ts, step',
        [id, q.range.from, q.range.to]
      );
      if (rows.length) {
        out.push({ ...key, points: rows.map((r) => ({ ts: Number(r.ts), step: num(r.step), value: r.value })) });
      }
    }
    return out;
  }

  /** PostgreSQL answers plots from all points in range; the query layer downsamples them. */
  seriesForPlot(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange }): Promise<Series[]> {
    return this.series(q);
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

  async annotations(q: { dataset: string; range: TimeRange }): Promise<AnnotationRecord[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM annotations WHERE dataset = $1 AND ts BETWEEN $2 AND $3 ORDER BY ts',
      [q.dataset, q.range.from, q.range.to]
    );
    return rows.map((r) => ({
      kind: 'annotation',
      dataset: r.dataset,
      item: r.item,
      annotator: r.annotator,
      label: r.label_text ?? r.label_num,
      ts: Number(r.ts),
    }));
  }

  async predictions(q: { model: NamePattern; range: TimeRange }): Promise<PredictionRecord[]> {
    const params: unknown[] = [q.range.from, q.range.to];
    const conds = ['ts BETWEEN $1 AND $2', nameFilter('model', q.model, params)];
    const { rows } = await this.pool.query(`SELECT * FROM predictions ${where(conds)} ORDER BY ts`, params);
    return rows.map((r) => ({
      kind: 'prediction',
      model: r.model,
      confidence: r.confidence,
      correct: r.correct,
      item: r.item,
      ts: Number(r.ts),
    }));
  }

  async samples(q: { feature: string; source: string; range: TimeRange }): Promise<SampleRecord[]> {
    const { rows } = await this.pool.query(
      'SELECT * FROM samples WHERE feature = $1 AND source = $2 AND ts BETWEEN $3 AND $4 ORDER BY ts',
      [q.feature, q.source, q.range.from, q.range.to]
    );
    return rows.map((r) => ({
      kind: 'sample',
      feature: r.feature,
      source: r.source,
      value: r.value_text ?? r.value_num,
      ts: Number(r.ts),
    }));
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

  async catalog(of: CatalogOf, q: { run?: NamePattern } = {}): Promise<string[]> {
    const params: unknown[] = [];
    const sql: Record<CatalogOf, () => string> = {
      runs: () => 'SELECT DISTINCT run AS v FROM series',
      metrics: () => `SELECT DISTINCT name AS v FROM series ${where([nameFilter('run', q.run, params)])}`,
      models: () => 'SELECT DISTINCT model AS v FROM predictions',
      datasets: () => 'SELECT DISTINCT dataset AS v FROM annotations',
      features: () => 'SELECT DISTINCT feature AS v FROM samples',
      sources: () => 'SELECT DISTINCT source AS v FROM samples',
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
