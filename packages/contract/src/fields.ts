// Names of the frames each query type answers and of the fields that panels, dashboards and alert rules read
// from them (docs/contract.md, "Query types"; every field is listed in docs/query-types.md). The service builds its
// frames with these names and a test runs every query type against it to check them.
import type { QueryType } from './queries';

export const FRAMES = {
  timeseries: {},
  events: { events: 'events' },
  catalog: {},
  status: { status: 'status' },
  calibration: { summary: 'summary', bins: 'bins', timeline: 'timeline' },
  drift: { summary: 'summary', histogram: 'histogram', categories: 'categories', features: 'features' },
  agreement: { summary: 'summary', pairs: 'pairs', annotators: 'annotators', labels: 'labels' },
  health: { summary: 'summary', signals: 'signals', eta: 'eta', smoothed: 'smoothed' },
} as const satisfies Record<QueryType, Record<string, string>>;

export const TIMESERIES_FIELDS = ['time', 'step', 'value'] as const;
export const EVENT_FIELDS = ['time', 'title', 'text', 'tags', 'phase'] as const;
/** `catalog` of runs with `detail`: one row per run (the `run` column is what drill-down links read). */
export const CATALOG_RUN_FIELDS = ['run', 'phases', 'metrics', 'last_step', 'last_time'] as const;
export const STATUS_FIELDS = ['phase', 'state', 'reason', 'updated', 'state_code'] as const;
export const CALIBRATION_SUMMARY_FIELDS = ['ece', 'mce', 'brier', 'accuracy', 'count'] as const;
export const CALIBRATION_BIN_FIELDS = ['bin_lower', 'bin_upper', 'confidence', 'accuracy', 'count'] as const;
export const DRIFT_STAT_FIELDS = [
  'psi',
  'ks_statistic',
  'ks_pvalue',
  'wasserstein',
  'js_divergence',
  'chi_square_pvalue',
  'reference_count',
  'current_count',
] as const;
export const DRIFT_HISTOGRAM_FIELDS = ['bin_lower', 'bin_upper', 'reference', 'current'] as const;
export const DRIFT_CATEGORY_FIELDS = ['category', 'reference', 'current'] as const;
export const AGREEMENT_SUMMARY_FIELDS = [
  'krippendorff_alpha',
  'fleiss_kappa',
  'percent_agreement',
  'items',
  'annotators',
] as const;
