// Every query target of `POST /api/v1/query`, as ONE discriminated union on `type` (docs/contract.md, "Query
// types"). A saved Grafana panel target is sent as it is, after template-variable interpolation; the service
// validates it with these schemas, the data source's editors and the dashboard generator build it from these
// types. Grafana editors may store numbers as strings ("10"), so numeric options accept both.
import { z } from 'zod';
import { PHASES } from './phases';
import { MAX_NAME } from './records';

export const CATALOG_OF = ['runs', 'metrics', 'models', 'datasets', 'features', 'sources'] as const;
export type CatalogOf = (typeof CATALOG_OF)[number];

export const AGREEMENT_LEVELS = ['nominal', 'ordinal', 'interval'] as const;
export const BINNINGS = ['uniform', 'quantile'] as const;
export const X_AXES = ['time', 'step'] as const;
/** Curve roles a health query's `metrics` may name; the service resolves each to the framework's metric names. */
export const HEALTH_CURVE_ROLES = [
  'reward',
  'score',
  'kl',
  'entropy',
  'value_loss',
  'policy_loss',
  'loss',
  'response_length',
] as const;

const name = z.string().min(1).max(MAX_NAME);
/** A run/metric/model name: one `*`-wildcard pattern or a list (multi-value template variables). */
export const namePattern = z.union([z.string().max(MAX_NAME), z.array(z.string().max(MAX_NAME)).max(1000)]);
export type NamePattern = z.input<typeof namePattern>;

const phase = z.enum(PHASES);

/** An optional number in [min, max], given as a number or a numeric string. */
function numberIn(min: number, max: number, int = false) {
  return z
    .union([z.number(), z.string()])
    .transform((v, ctx) => {
      const n = typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v);
      if (!Number.isFinite(n) || n < min || n > max || (int && !Number.isInteger(n))) {
        ctx.addIssue({
          code: 'custom',
          message: `expected ${int ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v)}`,
        });
        return z.NEVER;
      }
      return n;
    })
    .optional();
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** '6h', '30m', '1d', '500ms', a number of milliseconds, or a numeric string of milliseconds -> ms; NaN if invalid. */
export function parseInterval(v: string | number): number {
  if (typeof v === 'number') {
    return v;
  }
  const m = /^\s*(\d{1,15}(?:\.\d{1,15})?)\s*(ms|s|m|h|d|w)?\s*$/.exec(v);
  if (!m) {
    return Number.NaN;
  }
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
}

/** A time bucket: at least one second, at most a year; parsed to milliseconds. */
const interval = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const ms = parseInterval(v);
    if (!(ms >= 1000 && ms <= 366 * 86_400_000)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as "6h", "30m", "1d" or milliseconds (>= 1s), got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

/** A boolean that Grafana may store as "true"/"false". */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true')
  .optional();

/**
 * Every type: only the frames with these names (e.g. `["smoothed"]` from `health`, `["timeline"]` from
 * `calibration`), so that a panel receives exactly the frames it draws. Absent: all frames.
 */
const frameNames = z.array(z.string().min(1).max(64)).min(1).max(32).optional();

// Grafana adds its own fields to every target (datasource, hide, key...): they are ignored (stripped).
const target = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), refId: z.string().max(64).optional(), frames: frameNames, ...shape });

export const QUERY_SCHEMAS = {
  timeseries: target('timeseries', {
    run: namePattern.optional(),
    metric: namePattern.optional(),
    phase: phase.optional(),
    x: z.enum(X_AXES).optional(),
  }),
  events: target('events', {
    tags: z.union([z.array(z.string().max(MAX_NAME)).max(64), z.string().max(MAX_NAME)]).optional(),
    phase: phase.optional(),
    limit: numberIn(1, 10_000, true),
  }),
  catalog: target('catalog', {
    of: z.enum(CATALOG_OF, { errorMap: () => ({ message: `expected one of ${CATALOG_OF.join(', ')}` }) }),
    run: namePattern.optional(),
    /** Runs / metrics of series in this phase only (e.g. runs with training data). */
    phase: phase.optional(),
    /** `of: "runs"` only: one row per run with its phases, metric count and newest point (a runs table). */
    detail: flag,
  }),
  status: target('status', {}),
  calibration: target('calibration', {
    model: namePattern,
    bins: numberIn(1, 100, true),
    binning: z.enum(BINNINGS).optional(),
    /** Adds a `timeline` frame with one row per time bucket of this size. */
    interval,
    /** Adds the fitted temperature and the log loss before/after scaling to `summary`. */
    temperature: flag,
  }),
  drift: target('drift', {
    feature: z.union([name, z.array(name).min(1).max(1000)]),
    reference: name,
    current: name,
    /** Histogram / Jensen-Shannon bins (default 20). */
    bins: numberIn(1, 200, true),
    /**
     * The reference population over this long before the range's end (e.g. "7d", the status rules' reference
     * window) instead of over the query's range; the current population is always the range.
     */
    reference_window: interval,
  }),
  agreement: target('agreement', {
    dataset: name,
    /** Krippendorff's alpha metric (default nominal). */
    level: z.enum(AGREEMENT_LEVELS).optional(),
  }),
  health: target('health', {
    run: name,
    /** Metric names or roles (reward, kl, entropy, ...) to return in `smoothed`; default: every role the run logs. */
    metrics: z.union([z.string().max(MAX_NAME), z.array(z.string().max(MAX_NAME)).max(100)]).optional(),
    smoothing: numberIn(0, 0.999),
    window: numberIn(3, 1000, true),
    kl_budget: numberIn(0, 1e9),
    entropy_warn: numberIn(0, 1),
    entropy_critical: numberIn(0, 1),
    value_loss_factor: numberIn(1, 1e9),
    spike_z: numberIn(1, 1000),
    stall_seconds: numberIn(1, 1e8),
    length_warn: numberIn(1, 1e6),
    length_critical: numberIn(1, 1e6),
    max_steps: numberIn(1, 1e12, true),
  }),
};

export type QueryType = keyof typeof QUERY_SCHEMAS;
export const QUERY_TYPES = Object.keys(QUERY_SCHEMAS) as QueryType[];

/** The union itself: `type` picks the schema. */
export const queryTarget = z.discriminatedUnion(
  'type',
  Object.values(QUERY_SCHEMAS) as unknown as [
    (typeof QUERY_SCHEMAS)[QueryType],
    (typeof QUERY_SCHEMAS)[QueryType],
    ...Array<(typeof QUERY_SCHEMAS)[QueryType]>,
  ]
);

/** A target as saved in a dashboard and sent on the wire. */
export type QueryTarget = { [K in QueryType]: z.input<(typeof QUERY_SCHEMAS)[K]> }[QueryType];
/** The target of one type as the wire carries it. */
export type TargetOf<K extends QueryType> = z.input<(typeof QUERY_SCHEMAS)[K]>;
/** The target of one type after validation (numbers parsed, intervals in ms). */
export type ParsedTarget<K extends QueryType> = z.output<(typeof QUERY_SCHEMAS)[K]>;

export type TargetResult = { ok: true; target: ParsedTarget<QueryType> } | { ok: false; message: string };

/** Validate one target; the message names the field and what it expects. */
export function parseTarget(raw: unknown): TargetResult {
  const type = (raw as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(QUERY_SCHEMAS, type)) {
    return { ok: false, message: `unknown type ${JSON.stringify(type)}; expected one of ${QUERY_TYPES.join(', ')}` };
  }
  const parsed = QUERY_SCHEMAS[type as QueryType].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `(${type}): field "${issue.path.join('.')}" ${issue.message}` };
  }
  return { ok: true, target: parsed.data };
}
