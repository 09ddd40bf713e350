import type { DataQuery } from '@grafana/schema';
import type { DataSourceJsonData } from '@grafana/data';

// The query model IS the service's query object (docs/contract.md, "Query"):
// a saved panel target is sent to the service as it is, after template-variable interpolation.

export type QueryType =
  'timeseries' | 'calibration' | 'drift' | 'agreement' | 'events' | 'catalog' | 'status' | 'health';

export const QUERY_TYPES: QueryType[] = [
  'timeseries',
  'calibration',
  'drift',
  'agreement',
  'events',
  'catalog',
  'status',
  'health',
];

export type CatalogOf = 'runs' | 'metrics' | 'models' | 'datasets' | 'features' | 'sources';
export const CATALOG_OF: CatalogOf[] = ['runs', 'metrics', 'models', 'datasets', 'features', 'sources'];

export type Phase = 'data' | 'training' | 'evaluation' | 'deployment';
export const PHASES: Phase[] = ['data', 'training', 'evaluation', 'deployment'];

/** Curve roles the health query resolves to each framework's metric names (server/src/analytics/metricNames.ts). */
export const HEALTH_ROLES = [
  'reward',
  'score',
  'kl',
  'entropy',
  'value_loss',
  'policy_loss',
  'loss',
  'response_length',
];

/** A run/metric name: one pattern with `*` wildcards, or a list of names (multi-value variables). */
export type NamePattern = string | string[];

export interface RlhfQuery extends DataQuery {
  type: QueryType;
  /** Version of the saved query's layout (see migration.ts); absent on targets saved before versioning. */
  version?: number;
  // timeseries (run, metric, phase?, x?) and health (run)
  run?: NamePattern;
  metric?: NamePattern;
  phase?: Phase;
  x?: 'time' | 'step';
  // calibration (model may be a pattern or list: predictions are pooled)
  model?: NamePattern;
  bins?: number;
  binning?: 'uniform' | 'quantile';
  /** e.g. "1d": adds a `timeline` frame, one result per bucket. */
  interval?: string;
  /** Adds a temperature-scaling fit to `summary`. */
  temperature?: boolean;
  // drift (bins: histogram bins, default 20)
  feature?: NamePattern;
  reference?: string;
  current?: string;
  // agreement
  dataset?: string;
  level?: 'nominal' | 'ordinal' | 'interval';
  // health (run: one run; see docs/query-types.md for every option)
  metrics?: string[];
  smoothing?: number;
  window?: number;
  kl_budget?: number;
  entropy_warn?: number;
  entropy_critical?: number;
  value_loss_factor?: number;
  spike_z?: number;
  stall_seconds?: number;
  length_warn?: number;
  length_critical?: number;
  max_steps?: number;
  // events
  tags?: string[];
  limit?: number;
  // catalog
  of?: CatalogOf;
}

/** Defaults per type: enough for the service to answer; the editor fills names from the catalog. */
export const DEFAULT_QUERIES: Record<QueryType, Omit<RlhfQuery, 'refId'>> = {
  timeseries: { type: 'timeseries', run: '*', metric: '' },
  calibration: { type: 'calibration', model: '', bins: 10, binning: 'uniform' },
  drift: { type: 'drift', feature: '', reference: 'training', current: 'production' },
  agreement: { type: 'agreement', dataset: '' },
  events: { type: 'events', tags: [] },
  catalog: { type: 'catalog', of: 'runs' },
  status: { type: 'status' },
  health: { type: 'health', run: '' },
};

export const DEFAULT_QUERY: Partial<RlhfQuery> = DEFAULT_QUERIES.timeseries;

export interface RlhfOptions extends DataSourceJsonData {
  /** Base URL of the RLHF metrics service, e.g. http://127.0.0.1:8400 (used by the proxy route). */
  url?: string;
}

/** Only ever sent to Grafana, which encrypts it; the proxy route adds it as a Bearer token. */
export interface RlhfSecureOptions {
  apiKey?: string;
}

/** Grafana data-frame JSON as the service returns it. */
export interface FrameJSON {
  schema?: {
    name?: string;
    refId?: string;
    meta?: Record<string, unknown>;
    fields: Array<{ name: string; type?: string; config?: Record<string, unknown>; labels?: Record<string, string> }>;
  };
  data?: { values: unknown[][] };
}

export interface QueryResponseBody {
  /** Per target: its frames, or the error (and HTTP-like status) of a target the service refused. */
  results?: Record<string, { frames?: FrameJSON[]; error?: string; status?: number }>;
}

export interface HealthBody {
  status?: string;
  version?: string;
  [key: string]: unknown;
}
