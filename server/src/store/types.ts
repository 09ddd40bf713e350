import type {
  AnnotationRecord,
  EventRecord,
  MetricRecord,
  Phase,
  PredictionRecord,
  RecordKind,
  RlhfRecord,
  SampleRecord,
} from '@rlhf-monitor/contract';

/** A closed time range in epoch milliseconds. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Names may contain `*` wildcards (any run of characters); undefined or '*' means all. */
export type NamePattern = string | string[] | undefined;

export interface SeriesKey {
  run: string;
  name: string;
  phase: Phase;
  labels: Record<string, string>;
}

export interface MetricPoint {
  ts: number;
  step: number | null;
  value: number;
}

export interface Series extends SeriesKey {
  points: MetricPoint[]; // ascending by ts (then step)
}

export interface PredictionColumns {
  confidence: number[];
  correct: number[];
  /** Each prediction's time (ms), when asked for (`times`). */
  ts?: number[];
  /** Time (ms) of the last prediction read; null when none. */
  last: number | null;
}

export interface SampleValues {
  values: Array<SampleRecord['value']>;
  /** Time (ms) of the last sample read; null when none. */
  last: number | null;
}

export type CatalogOf = 'runs' | 'metrics' | 'models' | 'datasets' | 'features' | 'sources';

/**
 * At most this many points (of all series together) or records come back, and the store stops reading there:
 * a caller asking for cap + 1 learns whether a range holds more than cap without reading it all. A result cut
 * short holds `limit` of the range's points or records, in time order: the earliest, unless points of a SQLite
 * series arrived out of order (its chunks then overlap).
 */
export interface ReadLimit {
  limit?: number;
}

/** A ReadLimit as a count: Infinity when there is none. */
export const readLimit = (q: ReadLimit): number =>
  q.limit === undefined ? Infinity : Math.max(0, Math.floor(q.limit));

/**
 * The one storage interface. SQLite (embedded, default) and PostgreSQL implement it.
 * `insert` is all-or-nothing: it either stores every record or throws and stores none.
 */
export interface Store {
  insert(records: RlhfRecord[]): Promise<void>;
  series(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange } & ReadLimit
  ): Promise<Series[]>;
  /** Like `series`, but long ranges may be thinned to chunk summaries (first/min/max/last) for plotting. */
  seriesForPlot(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange } & ReadLimit,
    maxPoints: number
  ): Promise<Series[]>;
  /** Latest point of every series (optionally one phase), regardless of time range. */
  latest(q: { phase?: Phase }): Promise<Array<SeriesKey & MetricPoint>>;
  // Records come back in ascending time order.
  annotations(q: { dataset: string; range: TimeRange } & ReadLimit): Promise<AnnotationRecord[]>;
  predictions(q: { model: NamePattern; range: TimeRange } & ReadLimit): Promise<PredictionRecord[]>;
  samples(q: { feature: string; source: string; range: TimeRange } & ReadLimit): Promise<SampleRecord[]>;
  /**
   * The `confidence` and `correct` (1 or 0) of one model's predictions, as `predictions` returns them (time
   * order), as columns: what calibration needs, without an object per record. `last`: the time of the last one.
   */
  predictionColumns(q: { model: string; range: TimeRange; times?: boolean } & ReadLimit): Promise<PredictionColumns>;
  /** The values of `samples`, in its order, and the time of the last one: what drift needs. */
  sampleValues(q: { feature: string; source: string; range: TimeRange } & ReadLimit): Promise<SampleValues>;
  events(q: { tags?: string[]; phase?: Phase; range: TimeRange; limit?: number }): Promise<EventRecord[]>;
  /** Names for template variables; `phase` narrows runs and metrics to series of that phase. */
  catalog(of: CatalogOf, q?: { run?: NamePattern; phase?: Phase }): Promise<string[]>;
  counts(): Promise<Record<RecordKind, number>>;
  close(): Promise<void>;
}

export type { MetricRecord, SampleRecord, PredictionRecord };
