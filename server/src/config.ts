import { DEFAULT_STATUS_THRESHOLDS, statusThresholdsFrom, type StatusThresholds } from './analytics/status';

/**
 * The service's settings, validated once at start-up from the environment (README, "The service") and passed
 * down; nothing reads process.env after this.
 */
export interface ServiceConfig {
  host: string;
  port: number;
  db: string;
  apiKey?: string;
  demo: boolean;
  demoSeed: number;
  /** Phase-state rules (`RLHF_STATUS_*`), for the status query and the rlhf_phase_state gauge. */
  status: StatusThresholds;
  /** What one request may cost (issue 12). */
  limits: ServiceLimits;
  /**
   * On a shared PostgreSQL, how often each replica re-reads the newest point of every series, which status,
   * /metrics and the new-series cap answer from: another replica's new series shows up here within this time.
   */
  replicaRefreshSeconds: number;
}

const MB = 1024 * 1024;

/** Per-request limits. A request over one is answered 4xx naming the limit and how to stay under it. */
export interface ServiceLimits {
  /** Largest ingest/import body, after gzip decoding (413 above). */
  bodyBytes: number;
  /** Largest query body. */
  queryBodyBytes: number;
  /** Bodies of at least `largeBodyBytes` hold at most this many bytes at once; more wait, 429 after `inflightWaitMs`. */
  inflightBodyBytes: number;
  largeBodyBytes: number;
  inflightWaitMs: number;
  /** Ingest/import requests parsed and stored at once; more wait (their bodies unread), 429 after `inflightWaitMs`. */
  concurrentUploads: number;
  /**
   * Query requests answered at once; more wait, 429 after `inflightWaitMs`. Their reads take turns with ingest,
   * so each one in progress holds its points in memory meanwhile.
   */
  concurrentQueries: number;
  /** Deepest JSON nesting of a record or query body. */
  maxDepth: number;
  /** Series one ingest batch may create. */
  newSeriesPerBatch: number;
  /** Targets of one query request; series and points one target may read. */
  targetsPerQuery: number;
  seriesPerTarget: number;
  pointsPerTarget: number;
  /** Wall-clock budget of one heavy target (drift, calibration, agreement run in a worker, stopped past it). */
  targetBudgetMs: number;
}

export const DEFAULT_LIMITS: ServiceLimits = {
  bodyBytes: 32 * MB,
  queryBodyBytes: 1 * MB,
  inflightBodyBytes: 96 * MB,
  largeBodyBytes: 1 * MB,
  inflightWaitMs: 30_000,
  concurrentUploads: 4,
  concurrentQueries: 4,
  maxDepth: 8,
  newSeriesPerBatch: 10_000,
  targetsPerQuery: 50,
  seriesPerTarget: 1_000,
  pointsPerTarget: 5_000_000,
  targetBudgetMs: 10_000,
};

export const DEFAULT_CONFIG: ServiceConfig = {
  host: '127.0.0.1',
  port: 8400,
  db: 'data/rlhf.db',
  demo: true,
  demoSeed: 42,
  status: DEFAULT_STATUS_THRESHOLDS,
  limits: DEFAULT_LIMITS,
  replicaRefreshSeconds: 15,
};

/** Bounds of RLHF_REPLICA_REFRESH_SECONDS: each refresh reads every series' newest point; a day at most. */
const REFRESH_MIN_S = 0.1;
const REFRESH_MAX_S = 86_400;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const port = Number(env.RLHF_PORT ?? 8400);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`RLHF_PORT must be an integer 0-65535, got "${env.RLHF_PORT}"`);
  }
  const refresh = Number(env.RLHF_REPLICA_REFRESH_SECONDS ?? DEFAULT_CONFIG.replicaRefreshSeconds);
  if (!(refresh >= REFRESH_MIN_S && refresh <= REFRESH_MAX_S)) {
    throw new Error(
      `RLHF_REPLICA_REFRESH_SECONDS must be a number of seconds from ${REFRESH_MIN_S} to ${REFRESH_MAX_S} (e.g. 15), got "${env.RLHF_REPLICA_REFRESH_SECONDS}"`
    );
  }
  return {
    host: env.RLHF_HOST ?? DEFAULT_CONFIG.host,
    port,
    db: env.RLHF_DB ?? DEFAULT_CONFIG.db,
    apiKey: env.RLHF_API_KEY || undefined,
    demo: (env.RLHF_DEMO ?? '1') !== '0',
    demoSeed: Number(env.RLHF_DEMO_SEED ?? DEFAULT_CONFIG.demoSeed),
    status: statusThresholdsFrom(env),
    limits: DEFAULT_LIMITS,
    replicaRefreshSeconds: refresh,
  };
}
