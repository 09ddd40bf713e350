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
} from '@rlhf-monitor/contract';
import { distinctLeading, distinctSecond } from './distinct';
import { CHUNK, type Columns, decode, encode, plotPoints, sortIfNeeded, summarise } from './chunks';
import { latestVersion, type Migration, refuseNewer } from './migrate';
import { labelKey, patternList, seriesKey, toGlob } from './patterns';
import { CHUNK_SUMMARY, SQLITE_MIGRATIONS } from './sqliteSchema';
import {
  type CatalogOf,
  type MetricPoint,
  type NamePattern,
  type PredictionColumns,
  readLimit,
  type ReadLimit,
  type SampleValues,
  type Series,
  type SeriesKey,
  type Store,
  type TimeRange,
} from './types';

/** A WHERE fragment matching `column` against a name pattern (GLOB wildcards), or '' for "all". */
function nameFilter(column: string, p: NamePattern, params: unknown[]): string {
  const list = patternList(p);
  if (!list) {
    return '';
  }
  params.push(...list.map(toGlob));
  return `(${list.map(() => `${column} GLOB ?`).join(' OR ')})`;
}

/** A read limit as SQLite's LIMIT operand (-1: none). */
const sqlLimit = (q: ReadLimit) => (readLimit(q) === Infinity ? -1 : readLimit(q));

const STATEMENT_CACHE = 256;

function where(parts: string[]): string {
  const kept = parts.filter(Boolean);
  return kept.length ? `WHERE ${kept.join(' AND ')}` : '';
}

/** A series' points not yet in a sealed chunk, in memory; `at` finds a point by its key (step, else time). */
interface Tail {
  ts: number[];
  step: Array<number | null>;
  value: number[];
  /** Log row of each point, for compaction. */
  seq: number[];
  at: Map<string, number>;
  /** Index of the latest point (by time, then step). */
  last: number;
}

/** The newest step and time in a series' sealed chunks: a newer point cannot repeat one of them. */
interface Sealed {
  step: number;
  ts: number;
}

const noPoints = (): Columns => ({ ts: [], step: [], value: [] });
/** Whether point i of `c` comes after point j (by time, then step; no step first). */
const after = (c: Columns, i: number, j: number) =>
  c.ts[i] > c.ts[j] || (c.ts[i] === c.ts[j] && (c.step[i] ?? -1) > (c.step[j] ?? -1));
const pointKey = (ts: number, step: number | null) => (step === null ? `t${ts}` : `s${step}`);
/** Compact the log when it holds this many rows and 4 times the live points. */
const LOG_MIN = 65_536;
/** Seal the largest tails early (partial chunks) when all series together hold more points in memory. */
const LIVE_MAX = 1_000_000;

/**
 * The embedded store: one SQLite file in WAL mode (or ':memory:'). Metric points are appended to one log in
 * arrival order (one small row each, so a batch costs the same however it is spread over series), kept per
 * series in memory, and sealed into chunks of CHUNK points with summaries once a series has that many. A point
 * is identified by (series, step), or (series, ts) without a step; a repeat replaces it wherever it lies.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly seriesIds = new Map<string, number>();
  private tails = new Map<number, Tail>();
  private live = 0;
  private readonly sealed = new Map<number, Sealed>();
  private readonly insertMany: (records: RlhfRecord[]) => void;
  /** Read statements by SQL text: preparing one costs about as much as a small read (a dashboard makes hundreds). */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(file: string, opts: { migrations?: ReadonlyArray<Migration<Database.Database>> } = {}) {
    const migrations = opts.migrations ?? SQLITE_MIGRATIONS;
    const known = latestVersion(migrations);
    if (file !== ':memory:') {
      if (fs.existsSync(file)) {
        // Read the version without writing anything: even switching to WAL rewrites the header.
        const probe = new Database(file, { readonly: true, fileMustExist: true });
        try {
          refuseNewer(`SQLite file ${file}`, probe.pragma('user_version', { simple: true }) as number, known);
        } finally {
          probe.close();
        }
      }
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    }
    this.db = new Database(file);
    try {
      this.migrate(migrations);
    } catch (e) {
      this.db.close();
      throw e;
    }
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash with every committed batch; FULL would also survive power loss.
    this.db.pragma('synchronous = NORMAL');
    // better-sqlite3 builds with a 16 MB page cache, filled by a load and then held; SQLite's own default (2 MB)
    // reads and ingests as fast here, the OS caching the file anyway (issue 12: RSS after the load bench).
    this.db.pragma('cache_size = -2000');
    for (const row of this.db.prepare('SELECT id, run, name, phase, labels FROM series').iterate() as Iterable<{
      id: number;
      run: string;
      name: string;
      phase: string;
      labels: string;
    }>) {
      this.seriesIds.set(seriesKey(row.run, row.name, row.phase, row.labels), row.id);
    }
    this.loadTails();
    this.insertMany = this.writer();
  }

  /** Run the migrations past the file's version in one transaction: the file is either as it was, or current. */
  private migrate(migrations: ReadonlyArray<Migration<Database.Database>>): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    this.db.transaction(() => {
      for (const m of migrations.slice(current)) {
        m.up(this.db);
        this.db.pragma(`user_version = ${m.version}`);
      }
    })();
  }

  /** Replay the log into memory: each series' rows from its `tail_from` on, a later row replacing an earlier. */
  private loadTails(): void {
    this.tails = new Map();
    this.live = 0;
    const rows = this.db.prepare(
      `SELECT t.seq, t.series_id AS id, t.ts, t.step, t.value FROM tail t JOIN series s ON s.id = t.series_id
       WHERE t.seq >= s.tail_from ORDER BY t.seq`
    );
    for (const r of rows.iterate() as Iterable<MetricPoint & { seq: number; id: number }>) {
      this.putLive(r.id, r, r.seq);
    }
  }

  private putLive(id: number, p: MetricPoint, seq: number): void {
    let t = this.tails.get(id);
    if (!t) {
      t = { ts: [], step: [], value: [], seq: [], at: new Map(), last: 0 };
      this.tails.set(id, t);
    }
    const key = pointKey(p.ts, p.step);
    let i = t.at.get(key);
    if (i === undefined) {
      i = t.ts.length;
      t.at.set(key, i);
      t.ts.push(p.ts);
      t.step.push(p.step);
      t.value.push(p.value);
      t.seq.push(seq);
      this.live++;
    } else {
      const wasLast = i === t.last;
      t.ts[i] = p.ts;
      t.value[i] = p.value;
      t.seq[i] = seq;
      if (wasLast) {
        // the latest point moved (a repeat with an earlier time): find the latest again
        t.last = 0;
        for (let k = 1; k < t.ts.length; k++) {
          t.last = after(t, k, t.last) ? k : t.last;
        }
      }
    }
    if (after(t, i, t.last)) {
      t.last = i;
    }
  }

  private writer(): (records: RlhfRecord[]) => void {
    const db = this.db;
    const insSeries = db.prepare('INSERT INTO series (run, name, phase, labels) VALUES (?, ?, ?, ?)');
    const summaryCols = CHUNK_SUMMARY.join(', ');
    const insChunk = db.prepare(
      `INSERT INTO chunks (series_id, ${summaryCols}, data) VALUES (?, ${CHUNK_SUMMARY.map(() => '?').join(', ')}, ?)`
    );
    const updChunk = db.prepare(
      `UPDATE chunks SET (${summaryCols}, data) = (${CHUNK_SUMMARY.map(() => '?').join(', ')}, ?) WHERE id = ?`
    );
    const delChunk = db.prepare('DELETE FROM chunks WHERE id = ?');
    const sealedMax = db.prepare('SELECT max(step_max) AS step, max(ts_max) AS ts FROM chunks WHERE series_id = ?');
    const logPut = db.prepare('INSERT INTO tail (series_id, ts, step, value) VALUES (?, ?, ?, ?)');
    const logFirst = db.prepare('SELECT min(seq) FROM tail').pluck();
    const logLast = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'tail'").pluck();
    const logDrop = db.prepare('DELETE FROM tail WHERE seq < ?');
    const setTailFrom = db.prepare('UPDATE series SET tail_from = ? WHERE id = ?');
    const spans = db.prepare(
      'SELECT id, step_min AS s0, step_max AS s1, ts_min AS t0, ts_max AS t1 FROM chunks WHERE series_id = ?'
    );
    const chunkData = db.prepare('SELECT data FROM chunks WHERE id = ?').pluck();
    const chunkParams = (c: Columns, from: number, to: number) => {
      const s = summarise(c, from, to);
      return [
        s.n,
        s.tsMin,
        s.tsMax,
        s.stepMin,
        s.stepMax,
        s.first[1],
        s.first[2],
        s.last[1],
        s.last[2],
        ...s.min,
        ...s.max,
        encode(c, from, to),
      ];
    };
    const sealedOf = (id: number): Sealed => {
      let st = this.sealed.get(id);
      if (!st) {
        const m = sealedMax.get(id) as { step: number | null; ts: number | null };
        st = { step: m.step ?? -Infinity, ts: m.ts ?? -Infinity };
        this.sealed.set(id, st);
      }
      return st;
    };
    /** Remove from sealed chunks the points that `p` (one series, unique keys) replaces. */
    const dropReplaced = (id: number, p: MetricPoint[]) => {
      const st = sealedOf(id);
      const old = (q: MetricPoint) => (q.step !== null ? q.step <= st.step : q.ts <= st.ts);
      if (!p.some(old)) {
        return; // the common case: every point is newer than the sealed chunks
      }
      const steps = new Set<number>();
      const times = new Set<number>();
      for (const q of p.filter(old)) {
        (q.step !== null ? steps : times).add(q.step ?? q.ts);
      }
      // Only the chunks whose step (or time) span holds one of the keys: found from the summaries, then decoded.
      const sorted = (x: Set<number>) => [...x].sort((u, v) => u - v);
      const [stepKeys, timeKeys] = [sorted(steps), sorted(times)];
      const holds = (keys: number[], lo: number | null, hi: number | null) => {
        if (lo === null || hi === null || keys.length === 0) {
          return false;
        }
        let [i, j] = [0, keys.length];
        while (i < j) {
          const mid = (i + j) >> 1;
          [i, j] = keys[mid] < lo ? [mid + 1, j] : [i, mid];
        }
        return i < keys.length && keys[i] <= hi;
      };
      const rows = (
        spans.all(id) as Array<{ id: number; s0: number | null; s1: number | null; t0: number; t1: number }>
      ).filter((r) => holds(stepKeys, r.s0, r.s1) || holds(timeKeys, r.t0, r.t1));
      for (const row of rows) {
        const c = decode(chunkData.get(row.id) as Buffer);
        const kept = noPoints();
        c.ts.forEach((ts, i) => {
          const step = c.step[i];
          if (!(step !== null ? steps.has(step) : times.has(ts))) {
            kept.ts.push(ts);
            kept.step.push(step);
            kept.value.push(c.value[i]);
          }
        });
        if (kept.ts.length === 0) {
          delChunk.run(row.id);
        } else if (kept.ts.length < c.ts.length) {
          updChunk.run(...chunkParams(kept, 0, kept.ts.length), row.id);
        }
      }
    };
    /**
     * Seal a series' tail into chunks of CHUNK points, oldest in the log first (in arrival order, which is
     * time order for appends; reads sort overlapping chunks anyway): `full` seals whole chunks and leaves the
     * rest where it is in the log (`tail_from` moves to the oldest row kept), `all` seals everything, and
     * `compact` seals whole chunks and writes the rest again at the end of the log, freeing its old rows.
     */
    const seal = (id: number, mode: 'full' | 'all' | 'compact') => {
      const t = this.tails.get(id);
      if (!t) {
        return;
      }
      const n = t.ts.length;
      const seqOf = (i: number) => (Number.isNaN(t.seq[i]) ? Infinity : t.seq[i]); // NaN: not logged yet
      const order = t.ts.map((_, i) => i).sort((x, y) => seqOf(x) - seqOf(y) || x - y);
      const upTo = mode === 'all' ? n : n - (n % CHUNK);
      const st = sealedOf(id);
      for (let from = 0; from < upTo; from += CHUNK) {
        const part = order.slice(from, Math.min(upTo, from + CHUNK));
        const c: Columns = {
          ts: part.map((i) => t.ts[i]),
          step: part.map((i) => t.step[i]),
          value: part.map((i) => t.value[i]),
        };
        sortIfNeeded(c);
        insChunk.run(id, ...chunkParams(c, 0, c.ts.length));
        for (let i = 0; i < c.ts.length; i++) {
          st.step = c.step[i] !== null ? Math.max(st.step, c.step[i] as number) : st.step;
          st.ts = Math.max(st.ts, c.ts[i]);
        }
      }
      this.tails.delete(id);
      this.live -= n;
      const kept = order.slice(upTo);
      const keepRows = mode === 'full' && kept.length > 0 && !Number.isNaN(t.seq[kept[0]]);
      setTailFrom.run(keepRows ? t.seq[kept[0]] : ((logLast.get() as number | undefined) ?? 0) + 1, id);
      for (const i of kept) {
        const p = { ts: t.ts[i], step: t.step[i], value: t.value[i] };
        const logged = mode === 'full' && !Number.isNaN(t.seq[i]);
        this.putLive(id, p, logged ? t.seq[i] : Number(logPut.run(id, p.ts, p.step, p.value).lastInsertRowid));
      }
    };
    /** Keep the log about as long as the live points: seal early the series whose points sit in its old half. */
    const compact = () => {
      if (this.live > LIVE_MAX) {
        const largest = [...this.tails].sort((x, y) => y[1].ts.length - x[1].ts.length);
        for (const [id] of largest) {
          if (this.live <= LIVE_MAX / 2) {
            break;
          }
          seal(id, 'all');
        }
      }
      const first = logFirst.get() as number | null;
      const last = (logLast.get() as number | undefined) ?? 0;
      if (first === null || last - first + 1 < Math.max(LOG_MIN, 4 * this.live)) {
        return;
      }
      const cutoff = first + Math.floor((last - first) / 2);
      for (const [id, t] of [...this.tails]) {
        if (t.seq.some((q) => q < cutoff)) {
          seal(id, 'compact');
        }
      }
      logDrop.run(cutoff);
    };
    const writeSeries = (id: number, points: Map<string, MetricPoint>) => {
      const p = [...points.values()];
      dropReplaced(id, p);
      for (const q of p) {
        this.putLive(id, q, NaN);
      }
      const t = this.tails.get(id) as Tail;
      if (t.ts.length >= CHUNK) {
        seal(id, 'full'); // what goes straight into chunks is never written to the log
        return;
      }
      for (const q of p) {
        t.seq[t.at.get(pointKey(q.ts, q.step)) as number] = Number(
          logPut.run(id, q.ts, q.step, q.value).lastInsertRowid
        );
      }
    };
    const upsertAnnotation = db.prepare(
      `INSERT INTO annotations (dataset, item, annotator, label, ts) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (dataset, item, annotator) DO UPDATE SET label = excluded.label, ts = excluded.ts`
    );
    const insPrediction = db.prepare(
      'INSERT INTO predictions (model, confidence, correct, item, ts) VALUES (?, ?, ?, ?, ?)'
    );
    const insSample = db.prepare('INSERT INTO samples (feature, source, value, ts) VALUES (?, ?, ?, ?)');
    const insEvent = db.prepare('INSERT INTO events (ts, title, text, tags, phase) VALUES (?, ?, ?, ?, ?)');

    const created: string[] = [];
    const tx = db.transaction((records: RlhfRecord[]) => {
      // Per series, each point key once (the last repeat in the batch wins).
      const bySeries = new Map<number, Map<string, MetricPoint>>();
      for (const r of records) {
        switch (r.kind) {
          case 'metric': {
            const labels = labelKey(r.labels);
            const key = seriesKey(r.run, r.name, r.phase, labels);
            let id = this.seriesIds.get(key);
            if (id === undefined) {
              id = Number(insSeries.run(r.run, r.name, r.phase, labels).lastInsertRowid);
              this.seriesIds.set(key, id);
              created.push(key);
            }
            let points = bySeries.get(id);
            if (!points) {
              points = new Map();
              bySeries.set(id, points);
            }
            points.set(pointKey(r.ts, r.step), { ts: r.ts, step: r.step, value: r.value });
            break;
          }
          case 'annotation':
            upsertAnnotation.run(r.dataset, r.item, r.annotator, r.label, r.ts);
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
      for (const [id, points] of bySeries) {
        writeSeries(id, points);
      }
      compact();
    });
    return (records) => {
      created.length = 0;
      try {
        tx(records);
      } catch (e) {
        // The transaction rolled back: forget the series ids it created, and reread what it changed in memory.
        for (const key of created) {
          this.seriesIds.delete(key);
        }
        this.sealed.clear();
        this.loadTails();
        throw e;
      }
    };
  }

  async insert(records: RlhfRecord[]): Promise<void> {
    this.insertMany(records);
  }

  /**
   * The prepared statement for `sql`, kept for reuse. Each text is always run in the same mode (rows, `raw` or
   * `pluck`) and with `all`/`get` only, never `iterate`, so a kept statement is never busy or in another mode.
   * Bounded: texts vary with the number of names in a pattern; the oldest leave first.
   */
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.statements.size >= STATEMENT_CACHE) {
        this.statements.delete(this.statements.keys().next().value as string);
      }
      this.statements.set(sql, s);
    }
    return s;
  }

  private seriesKeys(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase }) {
    const params: unknown[] = [];
    const conds = [nameFilter('run', q.runs, params), nameFilter('name', q.metrics, params)];
    if (q.phase) {
      conds.push('phase = ?');
      params.push(q.phase);
    }
    const rows = this.statement(
      `SELECT id, run, name, phase, labels FROM series ${where(conds)} ORDER BY run, name, labels`
    ).all(...params) as Array<{ id: number; run: string; name: string; phase: Phase; labels: string }>;
    return rows.map((r) => ({ id: r.id, run: r.run, name: r.name, phase: r.phase, labels: JSON.parse(r.labels) }));
  }

  /** Chunk rows of one series overlapping a range, oldest first. */
  private chunkRows(seriesId: number, range: TimeRange, columns: string) {
    return this.statement(
      `SELECT ${columns} FROM chunks WHERE series_id = ? AND ts_max >= ? AND ts_min <= ? ORDER BY ts_min, id`
    ).all(seriesId, range.from, range.to);
  }

  /** Unsealed points of one series in a range (fewer than CHUNK, but for a batch just sealing). */
  private tailInRange(seriesId: number, range: TimeRange): MetricPoint[] {
    const t = this.tails.get(seriesId);
    const out: MetricPoint[] = [];
    t?.ts.forEach((ts, i) => {
      if (ts >= range.from && ts <= range.to) {
        out.push({ ts, step: t.step[i], value: t.value[i] });
      }
    });
    return out;
  }

  /** Points of one series in a range, ascending; at most `limit`, reading no chunk after the one that reaches it. */
  private pointsInRange(seriesId: number, range: TimeRange, limit = Infinity): Columns {
    const all: Columns = { ts: [], step: [], value: [] };
    const inRange = (ts: number) => ts >= range.from && ts <= range.to;
    let n = 0;
    // The chunk ids first, then each blob by id: ordering the blobs themselves would make SQLite read them all.
    const data = this.statement('SELECT data FROM chunks WHERE id = ?').pluck();
    for (const { id } of this.chunkRows(seriesId, range, 'id') as Array<{ id: number }>) {
      if (n >= limit) {
        break;
      }
      const from = all.ts.length;
      decode(data.get(id) as Buffer, all);
      for (let i = from; i < all.ts.length; i++) {
        n += inRange(all.ts[i]) ? 1 : 0;
      }
    }
    for (const p of this.tailInRange(seriesId, range)) {
      all.ts.push(p.ts);
      all.step.push(p.step);
      all.value.push(p.value);
    }
    sortIfNeeded(all); // chunks may overlap when points arrived out of order
    const out: Columns = { ts: [], step: [], value: [] };
    for (let i = 0; i < all.ts.length && out.ts.length < limit; i++) {
      if (inRange(all.ts[i])) {
        out.ts.push(all.ts[i]);
        out.step.push(all.step[i]);
        out.value.push(all.value[i]);
      }
    }
    return out;
  }

  async series(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange } & ReadLimit
  ): Promise<Series[]> {
    const out: Series[] = [];
    let left = readLimit(q);
    for (const { id, ...key } of this.seriesKeys(q)) {
      if (left <= 0) {
        break;
      }
      const c = this.pointsInRange(id, q.range, left);
      left -= c.ts.length;
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
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange } & ReadLimit,
    maxPoints: number
  ): Promise<Series[]> {
    const out: Series[] = [];
    const cols = 'id, n, ts_min, ts_max, f_step, f_v, l_step, l_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v';
    let left = readLimit(q);
    for (const { id, ...key } of this.seriesKeys(q)) {
      if (left <= 0) {
        break;
      }
      const rows = this.chunkRows(id, q.range, cols) as Array<Record<string, number>>;
      const tail = this.tailInRange(id, q.range);
      const total = rows.reduce((a, r) => a + r.n, 0) + tail.length;
      if (total === 0) {
        continue;
      }
      // Summaries pay off only when the range holds many more points than the plot, and enough chunks
      // that their 4 points each still give the downsampler twice the points it may keep.
      if (total <= 4 * maxPoints || rows.length * 4 < 2 * maxPoints) {
        const c = this.pointsInRange(id, q.range, left);
        left -= c.ts.length;
        out.push({ ...key, points: c.ts.map((ts, i) => ({ ts, step: c.step[i], value: c.value[i] })) });
        continue;
      }
      const points: MetricPoint[] = tail;
      const blob = this.statement('SELECT data FROM chunks WHERE id = ?').pluck();
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
      // Summaries read O(chunks), not O(points): cut to the limit after reading.
      const plot = plotPoints(points).slice(0, left);
      left -= plot.length;
      out.push({ ...key, points: plot });
    }
    return out;
  }

  async latest(q: { phase?: Phase }): Promise<Array<SeriesKey & MetricPoint>> {
    const last = this.statement(
      'SELECT ts_max AS ts, l_step AS step, l_v AS value FROM chunks WHERE series_id = ? ORDER BY ts_max DESC LIMIT 1'
    );
    const later = (a: MetricPoint | undefined, b: MetricPoint) =>
      !a || b.ts > a.ts || (b.ts === a.ts && (b.step ?? -1) > (a.step ?? -1)) ? b : a;
    const out: Array<SeriesKey & MetricPoint> = [];
    for (const { id, ...key } of this.seriesKeys(q)) {
      let p = last.get(id) as MetricPoint | undefined;
      const t = this.tails.get(id);
      if (t) {
        p = later(p, { ts: t.ts[t.last], step: t.step[t.last], value: t.value[t.last] });
      }
      if (p) {
        out.push({ ...key, ...p });
      }
    }
    return out;
  }

  async annotations(q: { dataset: string; range: TimeRange } & ReadLimit): Promise<AnnotationRecord[]> {
    // Rows as arrays, one record object each: about 2/3 of the time of a row object per record plus its copy.
    const rows = this.statement(
      'SELECT item, annotator, label, ts FROM annotations WHERE dataset = ? AND ts BETWEEN ? AND ? ORDER BY ts LIMIT ?'
    )
      .raw()
      .all(q.dataset, q.range.from, q.range.to, sqlLimit(q)) as Array<
      [string, string, AnnotationRecord['label'], number]
    >;
    const dataset = q.dataset;
    return rows.map(([item, annotator, label, ts]) => ({ kind: 'annotation', dataset, item, annotator, label, ts }));
  }

  async predictions(q: { model: NamePattern; range: TimeRange } & ReadLimit): Promise<PredictionRecord[]> {
    const params: unknown[] = [];
    const conds = [nameFilter('model', q.model, params), 'ts BETWEEN ? AND ?'];
    params.push(q.range.from, q.range.to, sqlLimit(q));
    const rows = this.statement(
      `SELECT model, confidence, correct, item, ts FROM predictions ${where(conds)} ORDER BY ts LIMIT ?`
    )
      .raw()
      .all(...params) as Array<[string, number, number, string | null, number]>;
    return rows.map(([model, confidence, correct, item, ts]) => ({
      kind: 'prediction',
      model,
      confidence,
      correct: correct === 1,
      item,
      ts,
    }));
  }

  async samples(q: { feature: string; source: string; range: TimeRange } & ReadLimit): Promise<SampleRecord[]> {
    const rows = this.statement(
      'SELECT value, ts FROM samples WHERE feature = ? AND source = ? AND ts BETWEEN ? AND ? ORDER BY ts LIMIT ?'
    )
      .raw()
      .all(q.feature, q.source, q.range.from, q.range.to, sqlLimit(q)) as Array<[SampleRecord['value'], number]>;
    const { feature, source } = q;
    return rows.map(([value, ts]) => ({ kind: 'sample', feature, source, value, ts }));
  }

  /**
   * One column per statement, plucked: no array or object per row (a million predictions' two columns in about a
   * quarter of the time of their records). Rows tie-broken by rowid, the order the (key, ts) index gives `predictions` and `samples` too.
   */
  private columns(table: string, key: string, columns: string[], args: unknown[], limit: ReadLimit) {
    const sql = (column: string) =>
      `SELECT ${column} FROM ${table} WHERE ${key} AND ts BETWEEN ? AND ? ORDER BY ts, rowid LIMIT ?`;
    const out = columns.map(
      (c) =>
        this.statement(sql(c))
          .pluck()
          .all(...args, sqlLimit(limit)) as unknown[]
    );
    const n = out[0].length;
    // The last row's time: the newest in the range, unless the limit cut the read short.
    const last =
      n === 0
        ? null
        : n < readLimit(limit)
          ? (this.statement(`SELECT max(ts) FROM ${table} WHERE ${key} AND ts BETWEEN ? AND ?`)
              .pluck()
              .get(...args) as number)
          : (this.statement(`${sql('ts')} OFFSET ?`)
              .pluck()
              .get(...args, 1, n - 1) as number);
    return { out, last };
  }

  async predictionColumns(
    q: { model: string; range: TimeRange; times?: boolean } & ReadLimit
  ): Promise<PredictionColumns> {
    const { out, last } = this.columns(
      'predictions',
      'model = ?',
      q.times ? ['confidence', 'correct', 'ts'] : ['confidence', 'correct'],
      [q.model, q.range.from, q.range.to],
      q
    );
    const c: PredictionColumns = { confidence: out[0] as number[], correct: out[1] as number[], last };
    return q.times ? { ...c, ts: out[2] as number[] } : c;
  }

  async sampleValues(q: { feature: string; source: string; range: TimeRange } & ReadLimit): Promise<SampleValues> {
    const { out, last } = this.columns(
      'samples',
      'feature = ? AND source = ?',
      ['value'],
      [q.feature, q.source, q.range.from, q.range.to],
      q
    );
    return { values: out[0] as SampleValues['values'], last };
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
    const rows = this.statement(
      `SELECT ts, title, text, tags, phase FROM events ${where(conds)} ORDER BY ts LIMIT ?`
    ).all(...params) as Array<{ ts: number; title: string; text: string; tags: string; phase: Phase | null }>;
    return rows.map((r) => ({ kind: 'event', ...r, tags: JSON.parse(r.tags) as string[] }));
  }

  async catalog(of: CatalogOf, q: { run?: NamePattern; phase?: Phase } = {}): Promise<string[]> {
    const params: unknown[] = [];
    const phase = () => (q.phase ? (params.push(q.phase), 'phase = ?') : '');
    let sql: string;
    switch (of) {
      case 'runs':
        sql = `SELECT DISTINCT run AS v FROM series ${where([phase()])} ORDER BY v`;
        break;
      case 'metrics':
        sql = `SELECT DISTINCT name AS v FROM series ${where([nameFilter('run', q.run, params), phase()])} ORDER BY v`;
        break;
      // Through the indexes that lead with these names (distinct.ts), not a scan of every record.
      case 'models':
        sql = `SELECT v FROM (${distinctLeading('predictions', 'model')}) ORDER BY v`;
        break;
      case 'datasets':
        sql = `SELECT v FROM (${distinctLeading('annotations', 'dataset')}) ORDER BY v`;
        break;
      case 'features':
        sql = `SELECT v FROM (${distinctLeading('samples', 'feature')}) ORDER BY v`;
        break;
      case 'sources':
        sql = `SELECT v FROM (${distinctSecond('samples', 'feature', 'source')}) ORDER BY v`;
        break;
    }
    return (
      this.statement(sql)
        .pluck()
        .all(...params) as string[]
    ).filter((v) => v !== null);
  }

  async counts(): Promise<Record<RecordKind, number>> {
    const n = (table: string) => this.statement(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    return {
      metric: (this.statement('SELECT coalesce(sum(n), 0) FROM chunks').pluck().get() as number) + this.live,
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
