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
import { CHUNK, type ChunkSummary, type Columns, decode, encode, sortIfNeeded, summarise } from './chunks';
import { labelKey, patternList, toGlob } from './patterns';
import type { CatalogOf, MetricPoint, NamePattern, Series, SeriesKey, Store, TimeRange } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS series (
  id INTEGER PRIMARY KEY, run TEXT NOT NULL, name TEXT NOT NULL, phase TEXT NOT NULL, labels TEXT NOT NULL,
  UNIQUE (run, name, phase, labels));
CREATE TABLE IF NOT EXISTS chunks (
  id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, n INTEGER NOT NULL, ts_min INTEGER NOT NULL, ts_max INTEGER NOT NULL,
  f_step, f_v REAL, l_step, l_v REAL, mn_ts INTEGER, mn_step, mn_v REAL, mx_ts INTEGER, mx_step, mx_v REAL,
  -- last: columns after a blob sit behind its overflow pages, and the summaries are read without it
  data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_series_ts ON chunks (series_id, ts_max);
CREATE TABLE IF NOT EXISTS annotations (dataset TEXT NOT NULL, item TEXT NOT NULL, annotator TEXT NOT NULL, label, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS annotations_dataset_ts ON annotations (dataset, ts);
CREATE TABLE IF NOT EXISTS predictions (model TEXT NOT NULL, confidence REAL NOT NULL, correct INTEGER NOT NULL, item TEXT, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS predictions_model_ts ON predictions (model, ts);
CREATE TABLE IF NOT EXISTS samples (feature TEXT NOT NULL, source TEXT NOT NULL, value, ts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS samples_feature_source_ts ON samples (feature, source, ts);
CREATE TABLE IF NOT EXISTS events (ts INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL, tags TEXT NOT NULL, phase TEXT);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
`;

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
  /** The last, not yet full chunk of each series written since start (loaded lazily). */
  private readonly open = new Map<number, { id: number | null; cols: Columns }>();
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
    const chunkCols = 'n, ts_min, ts_max, data, f_step, f_v, l_step, l_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v';
    const insChunk = this.db.prepare(
      `INSERT INTO chunks (series_id, ${chunkCols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
    );
    const updChunk = this.db.prepare(
      `UPDATE chunks SET (${chunkCols}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`
    );
    const lastChunk = this.db.prepare('SELECT id, n, data FROM chunks WHERE series_id = ? ORDER BY id DESC LIMIT 1');
    const summaryParams = (c: ChunkSummary, data: Buffer) => [
      c.n,
      c.tsMin,
      c.tsMax,
      data,
      c.first[1],
      c.first[2],
      c.last[1],
      c.last[2],
      ...c.min,
      ...c.max,
    ];
    const writeSeries = (seriesId: number, points: Columns) => {
      let open = this.open.get(seriesId);
      if (!open) {
        const row = lastChunk.get(seriesId) as { id: number; n: number; data: Buffer } | undefined;
        open =
          row && row.n < CHUNK
            ? { id: row.id, cols: decode(row.data) }
            : { id: null, cols: { ts: [], step: [], value: [] } };
      }
      const cols = open.cols;
      cols.ts.push(...points.ts);
      cols.step.push(...points.step);
      cols.value.push(...points.value);
      sortIfNeeded(cols);
      let id = open.id;
      for (let from = 0; from < cols.ts.length; from += CHUNK) {
        const to = Math.min(cols.ts.length, from + CHUNK);
        const params = summaryParams(summarise(cols, from, to), encode(cols, from, to));
        if (id !== null) {
          updChunk.run(...params, id);
        } else {
          id = Number(insChunk.run(seriesId, ...params).lastInsertRowid);
        }
        if (to - from === CHUNK) {
          id = null; // sealed; the next slice starts a new chunk
        } else {
          const rest = { ts: cols.ts.slice(from), step: cols.step.slice(from), value: cols.value.slice(from) };
          this.open.set(seriesId, { id, cols: rest });
          return;
        }
      }
      this.open.set(seriesId, { id: null, cols: { ts: [], step: [], value: [] } });
    };
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
      const bySeries = new Map<number, Columns>();
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
            let cols = bySeries.get(id);
            if (!cols) {
              cols = { ts: [], step: [], value: [] };
              bySeries.set(id, cols);
            }
            cols.ts.push(r.ts);
            cols.step.push(r.step);
            cols.value.push(r.value);
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
      for (const [seriesId, cols] of bySeries) {
        writeSeries(seriesId, cols);
      }
    });
    this.insertMany = (records) => {
      created.length = 0;
      try {
        tx(records);
      } catch (e) {
        // The transaction rolled back: forget series ids it created and the open chunks it touched.
        for (const key of created) {
          this.seriesIds.delete(key);
        }
        this.open.clear();
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

  /** Chunk rows of one series overlapping a range, oldest first. */
  private chunkRows(seriesId: number, range: TimeRange, columns: string) {
    return this.db
      .prepare(`SELECT ${columns} FROM chunks WHERE series_id = ? AND ts_max >= ? AND ts_min <= ? ORDER BY ts_min, id`)
      .all(seriesId, range.from, range.to);
  }

  private pointsInRange(seriesId: number, range: TimeRange): Columns {
    const all: Columns = { ts: [], step: [], value: [] };
    for (const row of this.chunkRows(seriesId, range, 'data') as Array<{ data: Buffer }>) {
      decode(row.data, all);
    }
    sortIfNeeded(all); // chunks may overlap when points arrived out of order
    const out: Columns = { ts: [], step: [], value: [] };
    for (let i = 0; i < all.ts.length; i++) {
      if (all.ts[i] >= range.from && all.ts[i] <= range.to) {
        out.ts.push(all.ts[i]);
        out.step.push(all.step[i]);
        out.value.push(all.value[i]);
      }
    }
    return out;
  }

  async series(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange }): Promise<Series[]> {
    const out: Series[] = [];
    for (const { id, ...key } of this.seriesKeys(q)) {
      const c = this.pointsInRange(id, q.range);
      if (c.ts.length > 0) {
        out.push({ ...key, points: c.ts.map((ts, i) => ({ ts, step: c.step[i], value: c.value[i] })) });
      }
    }
    return out;
  }

  /**
   * Points for a plot of at most ~maxPoints: every point when the range holds few, else each fully covered
   * chunk's first, minimum, maximum and last point (so min/max downsampling keeps every spike) plus the
   * in-range points of partly covered chunks. O(chunks) instead of O(points) for long ranges.
   */
  async seriesForPlot(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange },
    maxPoints: number
  ): Promise<Series[]> {
    const out: Series[] = [];
    const cols = 'id, n, ts_min, ts_max, f_step, f_v, l_step, l_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v';
    for (const { id, ...key } of this.seriesKeys(q)) {
      const rows = this.chunkRows(id, q.range, cols) as Array<Record<string, number>>;
      const total = rows.reduce((a, r) => a + r.n, 0);
      if (total === 0) {
        continue;
      }
      // Summaries pay off only when the range holds many more points than the plot, and enough chunks
      // that their 4 points each still give the downsampler twice the points it may keep.
      if (total <= 4 * maxPoints || rows.length * 4 < 2 * maxPoints) {
        const c = this.pointsInRange(id, q.range);
        out.push({ ...key, points: c.ts.map((ts, i) => ({ ts, step: c.step[i], value: c.value[i] })) });
        continue;
      }
      const points: MetricPoint[] = [];
      const blob = this.db.prepare('SELECT data FROM chunks WHERE id = ?').pluck();
      for (const r of rows) {
        if (r.ts_min >= q.range.from && r.ts_max <= q.range.to) {
          const cand: MetricPoint[] = [
            { ts: r.ts_min, step: r.f_step, value: r.f_v },
            { ts: r.mn_ts, step: r.mn_step, value: r.mn_v },
            { ts: r.mx_ts, step: r.mx_step, value: r.mx_v },
            { ts: r.ts_max, step: r.l_step, value: r.l_v },
          ];
          points.push(...cand);
        } else {
          const c = decode(blob.get(r.id) as Buffer);
          c.ts.forEach((ts, i) => {
            if (ts >= q.range.from && ts <= q.range.to) {
              points.push({ ts, step: c.step[i], value: c.value[i] });
            }
          });
        }
      }
      points.sort((a, b) => a.ts - b.ts || (a.step ?? -1) - (b.step ?? -1));
      // The same point can be first and minimum of its chunk: keep it once.
      const unique = points.filter(
        (p, i) =>
          i === 0 || p.ts !== points[i - 1].ts || p.step !== points[i - 1].step || p.value !== points[i - 1].value
      );
      out.push({ ...key, points: unique });
    }
    return out;
  }

  async latest(q: { phase?: Phase }): Promise<Array<SeriesKey & MetricPoint>> {
    const last = this.db.prepare(
      'SELECT ts_max AS ts, l_step AS step, l_v AS value FROM chunks WHERE series_id = ? ORDER BY ts_max DESC LIMIT 1'
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
      metric: (this.db.prepare('SELECT coalesce(sum(n), 0) FROM chunks').pluck().get() as number) ?? 0,
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
