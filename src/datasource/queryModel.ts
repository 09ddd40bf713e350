// What each query type's target carries, as the editors show it: every field a saved target can hold, which of
// them the service requires, and the limits it enforces (server/src/query/*.ts). Pure: the editors, the data
// source (which does not send incomplete targets) and the tests read the same table.
import { DEFAULT_QUERIES, type QueryType, type RlhfQuery } from './types';

export type FieldKey = Exclude<
  keyof RlhfQuery,
  'refId' | 'type' | 'version' | 'hide' | 'key' | 'datasource' | 'queryType'
>;

export interface NumberLimits {
  min: number;
  max: number;
  step: number;
  integer?: boolean;
}

export interface FieldSpec {
  key: FieldKey;
  /** The field's label in the editor (also its accessible name). */
  label: string;
  tooltip: string;
  placeholder?: string;
  required?: boolean;
  number?: NumberLimits;
  /** A duration such as 6h or 7d (checked by intervalError). */
  duration?: boolean;
}

const int = (min: number, max: number): NumberLimits => ({ min, max, step: 1, integer: true });

const HEALTH_DEFAULTS = 'the status query uses the same threshold, so both agree';

const QUERY_TYPE_FIELDS: Record<QueryType, FieldSpec[]> = {
  timeseries: [
    {
      key: 'run',
      label: 'Run',
      tooltip: 'A run name, a pattern with * wildcards (e.g. ppo-*), or a variable; * for all runs',
      placeholder: '* (all runs)',
    },
    {
      key: 'metric',
      label: 'Metric',
      tooltip: 'A metric name, a pattern such as loss/*, or a variable',
      placeholder: 'Choose a metric',
      required: true,
    },
    {
      key: 'phase',
      label: 'Phase',
      tooltip: 'Only series of this pipeline phase; empty for any phase',
      placeholder: 'Any phase',
    },
    { key: 'x', label: 'X axis', tooltip: 'Plot against wall-clock time or the training step' },
  ],
  calibration: [
    {
      key: 'model',
      label: 'Model',
      tooltip: 'A model name, a pattern or a variable: the predictions of every match are pooled',
      placeholder: 'Choose a model',
      required: true,
    },
    {
      key: 'bins',
      label: 'Bins',
      tooltip: 'Confidence bins of the reliability diagram (1-100)',
      placeholder: '10',
      number: int(1, 100),
    },
    {
      key: 'binning',
      label: 'Binning',
      tooltip: 'Equal width bins on [0, 1], or equal mass (each bin holds as many predictions)',
    },
    {
      key: 'interval',
      label: 'Interval',
      tooltip: 'One result per time bucket (e.g. 6h, 30m, 1d, 1w; at least 1s) instead of one for the whole range',
      placeholder: 'Whole range',
      duration: true,
    },
    {
      key: 'temperature',
      label: 'Temperature fit',
      tooltip: 'Add the temperature T that best rescales the confidences, and the log loss before and after',
    },
  ],
  drift: [
    {
      key: 'feature',
      label: 'Feature',
      tooltip: 'A feature name, a pattern (* or prompt_*) or a list: many features give one row each, worst first',
      placeholder: 'Choose a feature',
      required: true,
    },
    {
      key: 'reference',
      label: 'Reference',
      tooltip: 'The sample source drift is measured from: the baseline, e.g. training',
      placeholder: 'e.g. training',
      required: true,
    },
    {
      key: 'current',
      label: 'Current',
      tooltip: 'The sample source compared with the reference, e.g. production',
      placeholder: 'e.g. production',
      required: true,
    },
    {
      key: 'bins',
      label: 'Bins',
      tooltip: 'Histogram and Jensen-Shannon bins (1-200)',
      placeholder: '20',
      number: int(1, 200),
    },
    {
      key: 'reference_window',
      label: 'Reference window',
      tooltip:
        'Read the reference over this long before the end of the time range (e.g. 7d, as the status rules read it) instead of over the time range',
      placeholder: 'Time range',
      duration: true,
    },
  ],
  agreement: [
    {
      key: 'dataset',
      label: 'Dataset',
      tooltip: 'The annotated dataset whose raters are compared',
      placeholder: 'Choose a dataset',
      required: true,
    },
    {
      key: 'level',
      label: 'Alpha level',
      tooltip: "Krippendorff's alpha metric: nominal labels, or ordinal/interval for numeric ratings",
    },
  ],
  events: [
    {
      key: 'tags',
      label: 'Tags',
      tooltip: 'Events carrying all of these tags, e.g. training, incident; empty for all events',
      placeholder: 'All events',
    },
    {
      key: 'phase',
      label: 'Phase',
      tooltip: 'Only events of this pipeline phase; empty for any phase',
      placeholder: 'Any phase',
    },
    {
      key: 'limit',
      label: 'Limit',
      tooltip: 'At most this many events, newest first (1-10000)',
      placeholder: 'No limit',
      number: int(1, 10_000),
    },
  ],
  catalog: [
    { key: 'of', label: 'Names of', tooltip: 'Which names to list', required: true },
    {
      key: 'run',
      label: 'Run',
      tooltip: 'Only metric names of these runs (a pattern or a variable); empty for all runs',
      placeholder: '* (all runs)',
    },
    {
      key: 'phase',
      label: 'Phase',
      tooltip: 'Only runs and metrics with series of this pipeline phase (e.g. training runs); empty for any phase',
      placeholder: 'Any phase',
    },
    {
      key: 'detail',
      label: 'Runs table',
      tooltip: 'Runs only: one row per run with its phases, metric count, newest step and time (for a table panel)',
    },
  ],
  status: [],
  health: [
    {
      key: 'run',
      label: 'Run',
      tooltip: 'The training run whose signals (reward hacking, entropy collapse, ...) are judged',
      placeholder: 'Choose a run',
      required: true,
    },
    {
      key: 'metrics',
      label: 'Curves',
      tooltip:
        'Metric names or roles (reward, kl, entropy, value_loss, policy_loss, loss, response_length) to smooth; empty for every role the run logs',
      placeholder: 'Every role the run logs',
    },
    {
      key: 'smoothing',
      label: 'Smoothing',
      tooltip: 'TensorBoard smoothing weight in [0, 0.999]',
      placeholder: '0.6',
      number: { min: 0, max: 0.999, step: 0.05 },
    },
    {
      key: 'max_steps',
      label: 'Max steps',
      tooltip: "Total steps, for progress and ETA; empty to read the run's max_steps metric",
      placeholder: 'From the run',
      number: int(1, 1e12),
    },
    {
      key: 'kl_budget',
      label: 'KL budget',
      tooltip: `KL beyond which the policy has drifted too far (reward hacking); empty: ${HEALTH_DEFAULTS}`,
      placeholder: 'Service default',
      number: { min: 0, max: 1e9, step: 0.1 },
    },
    {
      key: 'window',
      label: 'Window',
      tooltip: `Points that make up "recent" (trends, spikes) and the starting baseline; empty: ${HEALTH_DEFAULTS}`,
      placeholder: 'Service default',
      number: int(3, 1000),
    },
    {
      key: 'stall_seconds',
      label: 'Stall after (s)',
      tooltip: `No new point for this long is a warning, 4x as long critical; empty: ${HEALTH_DEFAULTS}`,
      placeholder: 'Service default',
      number: { min: 1, max: 1e8, step: 1 },
    },
    {
      key: 'entropy_warn',
      label: 'Entropy warning',
      tooltip: 'Entropy below this share of its start is a warning (0-1)',
      placeholder: '0.3',
      number: { min: 0, max: 1, step: 0.05 },
    },
    {
      key: 'entropy_critical',
      label: 'Entropy critical',
      tooltip: 'Entropy below this share of its start is critical (0-1)',
      placeholder: '0.1',
      number: { min: 0, max: 1, step: 0.05 },
    },
    {
      key: 'value_loss_factor',
      label: 'Value loss factor',
      tooltip: 'Smoothed value loss above this multiple of its earlier median is critical',
      placeholder: '10',
      number: { min: 1, max: 1e9, step: 1 },
    },
    {
      key: 'spike_z',
      label: 'Spike z-score',
      tooltip: 'Robust z-score (from the median and MAD of the preceding window) that counts as a spike',
      placeholder: '6',
      number: { min: 1, max: 1000, step: 0.5 },
    },
    {
      key: 'length_warn',
      label: 'Length warning',
      tooltip: 'Response length above this multiple of its start while the reward rises is a warning',
      placeholder: '1.5',
      number: { min: 1, max: 1e6, step: 0.1 },
    },
    {
      key: 'length_critical',
      label: 'Length critical',
      tooltip: 'Response length above this multiple of its start while the reward rises is critical',
      placeholder: '2',
      number: { min: 1, max: 1e6, step: 0.1 },
    },
  ],
};

/** Every type can narrow its answer to some of its frames (FRAMES of the contract). */
export const FRAMES_FIELD: FieldSpec = {
  key: 'frames',
  label: 'Frames',
  tooltip: 'Only the frames with these names, so that a panel receives exactly what it draws; empty for all frames',
  placeholder: 'All frames',
};

export const QUERY_FIELDS = Object.fromEntries(
  Object.entries(QUERY_TYPE_FIELDS).map(([type, fields]) => [type, [...fields, FRAMES_FIELD]])
) as Record<QueryType, FieldSpec[]>;

export function fieldSpec(type: QueryType, key: FieldKey): FieldSpec {
  const spec = QUERY_FIELDS[type].find((f) => f.key === key);
  if (!spec) {
    throw new Error(`query type ${type} has no field ${key}`);
  }
  return spec;
}

export const isEmptyValue = (v: unknown) =>
  v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** Labels of the required fields the query leaves empty: such a query is not run (the service would answer 400). */
export function missingRequired(query: RlhfQuery): string[] {
  return (QUERY_FIELDS[query.type] ?? []).filter((f) => f.required && isEmptyValue(query[f.key])).map((f) => f.label);
}

/** The message for a number outside its field's limits, or undefined when it is fine (empty is fine). */
export function numberError(value: number | undefined, limits: NumberLimits): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isFinite(value)) {
    return 'Enter a number';
  }
  if (limits.integer && !Number.isInteger(value)) {
    return 'Enter a whole number';
  }
  if (value < limits.min || value > limits.max) {
    return `Enter a number from ${limits.min} to ${limits.max}`;
  }
  return undefined;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const INTERVAL = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/;

/** The service's interval rule (query/options.ts): a duration such as 6h or milliseconds, from 1 s to a year. */
export function intervalError(value: string | undefined): string | undefined {
  if (value === undefined || value === '' || value.includes('$')) {
    return undefined;
  }
  const m = INTERVAL.exec(value);
  const ms = m ? Number(m[1]) * UNIT_MS[m[2] ?? 'ms'] : Number.NaN;
  return ms >= 1000 && ms <= 366 * 86_400_000 ? undefined : 'Enter a duration such as 6h, 30m, 1d or 1w (at least 1s)';
}

/** Field-level problems that make the service refuse the query (besides missing required fields). */
export function invalidFields(query: RlhfQuery): string[] {
  const bad = (QUERY_FIELDS[query.type] ?? []).filter((f) => {
    const v = query[f.key];
    if (f.number) {
      return typeof v === 'number' && numberError(v, f.number) !== undefined;
    }
    return f.duration === true && intervalError(v as string | undefined) !== undefined;
  });
  return bad.map((f) => f.label);
}

/** A query the service can answer: every required field set, every value within its limits. */
export function isRunnable(query: RlhfQuery): boolean {
  return missingRequired(query).length === 0 && invalidFields(query).length === 0;
}

/** Fields two types mean the same by, carried over on a type switch (when the new type accepts the value). */
const SHARED: FieldKey[] = ['run', 'phase'];

/** health reads one run: a pattern or a list of runs cannot carry over to it. */
function accepts(type: QueryType, key: FieldKey, value: unknown): boolean {
  if (!QUERY_FIELDS[type].some((f) => f.key === key)) {
    return false;
  }
  if (type === 'health' && key === 'run') {
    return typeof value === 'string' && value !== '' && !value.includes('*');
  }
  return true;
}

/** Grafana's own keys of a target, kept whatever the type. */
function grafanaKeys(query: RlhfQuery): Partial<RlhfQuery> {
  const { refId, datasource, hide, key, queryType } = query;
  const out: Record<string, unknown> = { refId, datasource, hide, key, queryType };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined)) as Partial<RlhfQuery>;
}

/** What a type switch remembers: each type's last query, and the last value of each shared field. */
export interface TypeMemory {
  byType: Partial<Record<QueryType, RlhfQuery>>;
  shared: Partial<RlhfQuery>;
}

export const emptyMemory = (): TypeMemory => ({ byType: {}, shared: {} });

/**
 * The query after switching to `next`: Grafana's keys, then what `next` had when it was last used or its
 * defaults, then the fields types share, from the current query or the last type that had them (time series
 * run -> calibration -> health keeps the run). Updates `memory` with the query being left.
 */
export function switchType(query: RlhfQuery, next: QueryType, memory: TypeMemory = emptyMemory()): RlhfQuery {
  memory.byType[query.type] = query;
  for (const key of SHARED) {
    if (!isEmptyValue(query[key])) {
      (memory.shared as Record<string, unknown>)[key] = query[key];
    }
  }
  const remembered = memory.byType[next];
  const base = remembered?.type === next ? remembered : { ...DEFAULT_QUERIES[next] };
  const out: RlhfQuery = { ...base, ...grafanaKeys(query), type: next, refId: query.refId } as RlhfQuery;
  if (query.version !== undefined) {
    out.version = query.version;
  }
  for (const key of SHARED) {
    const v = memory.shared[key];
    if (!isEmptyValue(v) && accepts(next, key, v)) {
      (out as unknown as Record<string, unknown>)[key] = v;
    }
  }
  return out;
}

/** Structural equality of two targets, ignoring keys whose value is undefined. */
export function sameQuery(a: RlhfQuery, b: RlhfQuery): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) {
    return v.map(canonical);
  }
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([, x]) => x !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, x]) => [k, canonical(x)])
    );
  }
  return v;
}

/** `{...query, ...patch}` with the keys the patch sets to undefined removed (an emptied field is not saved). */
export function applyPatch(query: RlhfQuery, patch: Partial<RlhfQuery>): RlhfQuery {
  const out: Record<string, unknown> = { ...query, ...patch };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) {
      delete out[k];
    }
  }
  return out as unknown as RlhfQuery;
}
