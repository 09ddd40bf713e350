import type { DataQuery } from '@grafana/schema';
import type { DataSourceJsonData } from '@grafana/data';
import {
  type CatalogOf,
  HEALTH_CURVE_ROLES,
  type NamePattern,
  type Phase,
  type QUERY_SCHEMAS,
  type QueryType,
} from '@rlhf-monitor/contract';

// The query model IS the service's query object (docs/contract.md, "Query"):
// a saved panel target is sent to the service as it is, after template-variable interpolation.

// Query types, catalog kinds, phases and name patterns are the wire contract's (@rlhf-monitor/contract); the
// editing model below holds every field of every target type (checked against the contract's schemas).
export { CATALOG_OF, PHASES, QUERY_TYPES } from '@rlhf-monitor/contract';
export type { CatalogOf, NamePattern, Phase, QueryType } from '@rlhf-monitor/contract';

/** Curve roles the health query resolves to each framework's metric names. */
export const HEALTH_ROLES: readonly string[] = HEALTH_CURVE_ROLES;

export interface RlhfQuery extends DataQuery {
  type: QueryType;
  /** Version of the saved query's layout (see migration.ts); absent on targets saved before versioning. */
  version?: number;
  /** Any type: only the frames with these names (e.g. `smoothed` of health); absent for all. */
  frames?: string[];
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
  /** e.g. "7d": the reference population over this long before the range's end, instead of over the range. */
  reference_window?: string;
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
  /** Runs only: a runs table (phases, metric count, newest step and time) instead of the names. */
  detail?: boolean;
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

/** Every field a target of the contract can carry is a field of the editing model (a compile error otherwise). */
type ContractField = { [K in QueryType]: keyof (typeof QUERY_SCHEMAS)[K]['shape'] }[QueryType];
type MissingFromModel = Exclude<ContractField, keyof RlhfQuery>;
export const MODEL_COVERS_CONTRACT: [MissingFromModel] extends [never] ? true : MissingFromModel = true;
