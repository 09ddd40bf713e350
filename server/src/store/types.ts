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

export type CatalogOf = 'runs' | 'metrics' | 'models' | 'datasets' | 'features' | 'sources';

/**
 * The one storage interface. SQLite (embedded, default) and PostgreSQL implement it.
 * `insert` is all-or-nothing: it either stores every record or throws and stores none.
 */
export interface Store {
  insert(records: RlhfRecord[]): Promise<void>;
  series(q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange }): Promise<Series[]>;
  /** Like `series`, but long ranges may be thinned to chunk summaries (first/min/max/last) for plotting. */
  seriesForPlot(
    q: { runs?: NamePattern; metrics?: NamePattern; phase?: Phase; range: TimeRange },
    maxPoints: number
  ): Promise<Series[]>;
  /** Latest point of every series (optionally one phase), regardless of time range. */
  latest(q: { phase?: Phase }): Promise<Array<SeriesKey & MetricPoint>>;
  // Records come back in ascending time order.
  annotations(q: { dataset: string; range: TimeRange }): Promise<AnnotationRecord[]>;
  predictions(q: { model: NamePattern; range: TimeRange }): Promise<PredictionRecord[]>;
  samples(q: { feature: string; source: string; range: TimeRange }): Promise<SampleRecord[]>;
  events(q: { tags?: string[]; phase?: Phase; range: TimeRange; limit?: number }): Promise<EventRecord[]>;
  /** Names for template variables; `phase` narrows runs and metrics to series of that phase. */
  catalog(of: CatalogOf, q?: { run?: NamePattern; phase?: Phase }): Promise<string[]>;
  counts(): Promise<Record<RecordKind, number>>;
  close(): Promise<void>;
}

export type { MetricRecord, SampleRecord, PredictionRecord };
