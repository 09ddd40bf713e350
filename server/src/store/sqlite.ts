import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type {
  AnnotationRecord,
  EventRecord,
  Phase,
  PredictionRecord,
  RecordKind,
  RlhfRecord,
  SampleRecord,
} from '../records/types';
import { patternList, toGlob } from './patterns';
import type { CatalogOf, MetricPoint, NamePattern, Series, SeriesKey, Store, TimeRange } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, phase TEXT NOT NULL, labels TEXT NOT NULL,
  UNIQUE (run, name, phase, labels));
CREATE TABLE IF NOT EXISTS metrics (series_id INTEGER NOT NULL, ts INTEGER NOT NULL, step INTEGER, value REAL NOT NULL);
CREATE INDEX IF NOT EXISTS metrics_series_ts ON metrics (series_id, ts);
CREATE TABLE IF NOT EXISTS annotations (dataset TEXT NOT NULL, item TEXT NOT NULL, annotator TEXT NOT NULL, label, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS annotations_dataset_ts ON annotations (dataset, ts);
CREATE TABLE IF NOT EXISTS predictions (model TEXT NOT NULL, confidence REAL NOT NULL, correct INTEGER NOT NULL, item TEXT, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS predictions_model_ts ON predictions (model, ts);
CREATE TABLE IF NOT EXISTS samples (feature TEXT NOT NULL, source TEXT NOT NULL, value, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS samples_feature_source_ts ON samples (feature, source, ts);
CREATE TABLE IF NOT EXISTS events (ts INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, tags TEXT NOT NULL, phase TEXT);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
`;

/** Canonical JSON of a label map (sorted keys) so equal label sets share one series. */
export function labelKey(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, labels[k]])));
}

/** A WHERE fragment matching `column` against a name pattern (GLOB wildcards), or '' for "all". */
function nameFilter(column: string, p: NamePattern, params: unknown[]): string {
  const list = patternList(p);
  if (!list) {
    return '';
  }
  params.push(...list.map(toGlob));
  return `(${list.map(() => `${column} GLOB ?`).join(' OR ')})`;
}

function where(parts: string[]): string {
  const kept = parts.filter(Boolean);
  return kept.length ? `WHERE ${kept.join(' AND ')}` : '';
}

/** The embedded store: one SQLite file in WAL mode (or ':memory:'). */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly seriesIds = new Map<string, number>();
  private readonly insertMany: (records: RlhfRecord[]) => void;

  constructor(file: string) {
    if (file !== ':memory:') {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    }
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash with every committed batch; FULL would also survive power loss.
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    for (const row of this.db.prepare('SELECT id, run, name, phase, labels FROM series').iterate() as Iterable<{
      id: number;
      run: string;
      name: string;
      phase: string;
      labels: string;
    }>) {
      this.seriesIds.set(`${row.run}\u0000${row.name}\u0000${row.phase}\u0000${row.labels}`, row.id);
    }

    const insSeries = this.db.prepare('INSERT INTO series (run, name, phase, labels) VALUES (?, ?, ?, ?)');
    const insMetric = this.db.prepare('INSERT INTO metrics (series_id, ts, step, value) VALUES (?, ?, ?, ?)');
    const insAnnotation = this.db.prepare(
      'INSERT INTO annotations (dataset, item, annotator, label, ts) VALUES (?, ?, ?, ?, ?)'
    );
    const insPrediction = this.db.prepare(
      'INSERT INTO predictions (model, confidence, correct, item, ts) VALUES (?, ?, ?, ?, ?)'
    );
    const insSample = this.db.prepare('INSERT INTO samples (feature, source, value, ts) VALUES (?, ?, ?, ?)');
    const insEvent = this.db.prepare('INSERT INTO events (ts, title, text, tags, phase) VALUES (?, ?, ?, ?, ?)');

    const created: string[] = [];
    const tx = this.db.transaction((records: RlhfRecord[]) => {
      for (const r of records) {
        switch (r.kind) {
          case 'metric': {
            const labels = labelKey(r.labels);
            const key = `${r.run}\u0000${r.name}\u0000${r.phase}\u0000${labels}`;
            let id = this.seriesIds.get(key);
            if (id === undefined) {
              id = Number(insSeries.run(r.run, r.name, r.phase, labels).lastInsertRowid);
              this.seriesIds.set(key, id);
              created.push(key);
            }
            insMetric.run(id, r.ts, r.step, r.value);
            break;
          }
          case 'annotation':
            insAnnotation.run(r.dataset, r.item, r.annotator, r.label, r.ts);
            break;
          case 'prediction':
            insPrediction.run(r.model, r.confidence, r.correct ? 1 : 0, r.item, r.ts);
            break;
          case 'sample':
            insSample.run(r.feature, r.source, r.value, r.ts);
            break;
          case 'event':
            insEvent.run(r.ts, r.title, r.text, JSON.stringify(r.tags), r.phase);
            break;
        }
      }
    });
    this.insertMany = (records) => {
      created.length = 0;
      try {
        tx(records);
      } catch (e) {
        // The transaction rolled back: forget series ids it had created.
        for (const key of created) {
          this.seriesIds.delete(key);
        }
        throw e;
      }
    };
  }

  async insert(records: RlhfRecord[]): Promise<void> {
    this.insertMany(records);
  }

  private seriesKeys(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase }) {
    const params: unknown[] = [];
    const conds = [nameFilter('run', q.runs, params), nameFilter('name', q.metrics, params)];
    if (q.phase) {
      conds.push('phase = ?');
      params.push(q.phase);
    }
    const rows = this.db
      .prepare(`SELECT id, run, name, phase, labels FROM series ${where(conds)} ORDER BY run, name, labels`)
      .all(...params) as Array<{ id: number; run: string; name: string; phase: Phase; labels: string }>;
    return rows.map((r) => ({ id: r.id, run: r.run, name: r.name, phase: r.phase, labels: JSON.parse(r.labels) }));
  }

  async series(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange }): Promise<Series[]> {
    const points = this.db
      .prepare('SELECT ts, step, value FROM metrics WHERE series_id = ? AND ts BETWEEN ? AND ? ORDER BY ts, step')
      .raw(true);
    const out: Series[] = [];
    for (const key of this.seriesKeys(q)) {
      const rows = points.all(key.id, q.range.from, q.range.to) as Array<[number, number | null, number]>;
      if (rows.length === 0) {
        continue;
      }
      const pts: MetricPoint[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        pts[i] = { ts: rows[i][0], step: rows[i][1], value: rows[i][2] };
      }
      out.push({ run: key.run, name: key.name, phase: key.phase, labels: key.labels, points: pts });
    }
    return out;
  }

  async latest(q: { phase?: Phase }): Promise<Array<SeriesKey & MetricPoint>> {
    const last = this.db.prepare(
      'SELECT ts, step, value FROM metrics WHERE series_id = ? ORDER BY ts DESC, step DESC LIMIT 1'
    );
    const out: Array<SeriesKey & MetricPoint> = [];
    for (const { id, ...key } of this.seriesKeys(q)) {
      const p = last.get(id) as MetricPoint | undefined;
      if (p) {
        out.push({ ...key, ...p });
      }
    }
    return out;
  }

  async annotations(q: { dataset: string; range: TimeRange }): Promise<AnnotationRecord[]> {
    const rows = this.db
      .prepare(
        'SELECT dataset, item, annotator, label, ts FROM annotations WHERE dataset = ? AND ts BETWEEN ? AND ? ORDER BY ts'
      )
      .all(q.dataset, q.range.from, q.range.to) as Array<Omit<AnnotationRecord, 'kind'>>;
    return rows.map((r) => ({ kind: 'annotation', ...r }));
  }

  async predictions(q: { model: NamePattern; range: TimeRange }): Promise<PredictionRecord[]> {
    const params: unknown[] = [];
    const conds = [nameFilter('model', q.model, params), 'ts BETWEEN ? AND ?'];
    params.push(q.range.from, q.range.to);
    const rows = this.db
      .prepare(`SELECT model, confidence, correct, item, ts FROM predictions ${where(conds)} ORDER BY ts`)
      .all(...params) as Array<{ model: string; confidence: number; correct: number; item: string | null; ts: number }>;
    return rows.map((r) => ({ kind: 'prediction', ...r, correct: r.correct === 1 }));
  }

  async samples(q: { feature: string; source: string; range: TimeRange }): Promise<SampleRecord[]> {
    const rows = this.db
      .prepare(
        'SELECT feature, source, value, ts FROM samples WHERE feature = ? AND source = ? AND ts BETWEEN ? AND ? ORDER BY ts'
      )
      .all(q.feature, q.source, q.range.from, q.range.to) as Array<Omit<SampleRecord, 'kind'>>;
    return rows.map((r) => ({ kind: 'sample', ...r }));
  }

  async events(q: { tags?: string[]; phase?: Phase; range: TimeRange; limit?: number }): Promise<EventRecord[]> {
    const params: unknown[] = [q.range.from, q.range.to];
    const conds = ['ts BETWEEN ? AND ?'];
    if (q.phase) {
      conds.push('phase = ?');
      params.push(q.phase);
    }
    for (const tag of q.tags ?? []) {
      conds.push('EXISTS (SELECT 1 FROM json_each(events.tags) WHERE json_each.value = ?)');
      params.push(tag);
    }
    params.push(q.limit ?? 10_000);
    const rows = this.db
      .prepare(`SELECT ts, title, text, tags, phase FROM events ${where(conds)} ORDER BY ts LIMIT ?`)
      .all(...params) as Array<{ ts: number; title: string; text: string; tags: string; phase: Phase | null }>;
    return rows.map((r) => ({ kind: 'event', ...r, tags: JSON.parse(r.tags) as string[] }));
  }

  async catalog(of: CatalogOf, q: { run?: NamePattern } = {}): Promise<string[]> {
    const params: unknown[] = [];
    let sql: string;
    switch (of) {
      case 'runs':
        sql = 'SELECT DISTINCT run AS v FROM series ORDER BY v';
        break;
      case 'metrics':
        sql = `SELECT DISTINCT name AS v FROM series ${where([nameFilter('run', q.run, params)])} ORDER BY v`;
        break;
      case 'models':
        sql = 'SELECT DISTINCT model AS v FROM predictions ORDER BY v';
        break;
      case 'datasets':
        sql = 'SELECT DISTINCT dataset AS v FROM annotations ORDER BY v';
        break;
      case 'features':
        sql = 'SELECT DISTINCT feature AS v FROM samples ORDER BY v';
        break;
      case 'sources':
        sql = 'SELECT DISTINCT source AS v FROM samples ORDER BY v';
        break;
    }
    return (
      this.db
        .prepare(sql)
        .pluck()
        .all(...params) as string[]
    ).filter((v) => v !== null);
  }

  async counts(): Promise<Record<RecordKind, number>> {
    const n = (table: string) => this.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      metric: n('metrics'),
      annotation: n('annotations'),
      prediction: n('predictions'),
      sample: n('samples'),
      event: n('events'),
    };
  }

  async close(): Promise<void> {
    if (this.db.open) {
      this.db.close();
    }
  }
}
