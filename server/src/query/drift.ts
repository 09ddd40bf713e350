// The `drift` query type: how far a feature's current population (a `source` of `sample` records, e.g.
// production) has moved from its reference (e.g. training). Numeric features get PSI, KS, Wasserstein and
// Jensen-Shannon plus a shared-bin histogram; string-valued (categorical) features get chi-square and category
// shares; `feature: '*'` (or a pattern, or a list) ranks many features in one `features` frame.
import {
  categoricalPsi,
  chiSquare,
  DEFAULT_HISTOGRAM_BINS,
  driftHistogram,
  driftSummary,
  frame,
  type FrameJSON,
  FRAMES,
  jsDivergence,
  jsFromShares,
  num,
  type ParsedTarget,
  type SampleRecord,
  severity,
  type Severity,
  SEVERITY_RANK,
  str,
} from '@rlhf-monitor/contract';
import { matches } from '../store/patterns';
import type { Store, TimeRange } from '../store/types';
import type { QueryContext, QueryModule } from './types';

type Target = ParsedTarget<'drift'>;

export interface Populations {
  numeric: boolean;
  ref: Array<SampleRecord['value']>;
  cur: Array<SampleRecord['value']>;
  /** Time (ms) of the newest current sample; null when there is none. */
  currentLast: number | null;
}

/** Which samples a drift figure compares: two sources, and the windows each is read over. */
export interface DriftSelection {
  reference: string;
  current: string;
  /** The current population's window (the query's range). */
  range: TimeRange;
  /** The reference population over [range.to - this, range.to] instead of `range`. */
  referenceWindowMs?: number;
}

/**
 * One feature's two populations. The drift query and the status rules (featureDrift in status.ts, also the
 * rlhf_drift_psi gauge) both read them here, so a dashboard's drift stat and the phase state cannot disagree.
 */
export async function populations(store: Store, feature: string, sel: DriftSelection): Promise<Populations> {
  const refRange =
    sel.referenceWindowMs === undefined ? sel.range : { from: sel.range.to - sel.referenceWindowMs, to: sel.range.to };
  // Values only (a number or string per sample), not records: 20k samples a feature are read many times over.
  const [ref, cur] = await Promise.all([
    store.sampleValues({ feature, source: sel.reference, range: refRange }),
    store.sampleValues({ feature, source: sel.current, range: sel.range }),
  ]);
  const refValues = ref.values;
  const curValues = cur.values;
  // A feature is categorical as soon as one of its values is a string.
  const numeric = !refValues.some((v) => typeof v === 'string') && !curValues.some((v) => typeof v === 'string');
  return { numeric, ref: refValues, cur: curValues, currentLast: cur.last };
}

const load = (ctx: QueryContext, feature: string, t: Target) =>
  populations(ctx.store, feature, {
    reference: t.reference,
    current: t.current,
    range: ctx.range,
    referenceWindowMs: t.reference_window,
  });

/** One feature's figures, in the shape of a `features` row. */
interface FeatureRow {
  feature: string;
  kind: 'numeric' | 'categorical';
  psi: number;
  ks_statistic: number | null;
  wasserstein: number | null;
  js_divergence: number;
  chi_square_pvalue: number | null;
  severity: Severity;
  reference_count: number;
  current_count: number;
}

function featureRow(feature: string, p: Populations, bins: number): FeatureRow {
  if (p.numeric) {
    const s = driftSummary(p.ref as number[], p.cur as number[]);
    return {
      feature,
      kind: 'numeric',
      psi: s.psi,
      ks_statistic: s.ks_statistic,
      wasserstein: s.wasserstein,
      js_divergence:
        bins === DEFAULT_HISTOGRAM_BINS ? s.js_divergence : jsDivergence(p.ref as number[], p.cur as number[], bins),
      chi_square_pvalue: null,
      severity: s.severity,
      reference_count: s.reference_count,
      current_count: s.current_count,
    };
  }
  const c = chiSquare(p.ref.map(String), p.cur.map(String));
  const psi = p.ref.length && p.cur.length ? categoricalPsi(c.categories) : Number.NaN;
  return {
    feature,
    kind: 'categorical',
    psi,
    ks_statistic: null,
    wasserstein: null,
    js_divergence:
      p.ref.length && p.cur.length
        ? jsFromShares(
            c.categories.map((x) => x.reference),
            c.categories.map((x) => x.current)
          )
        : Number.NaN,
    chi_square_pvalue: c.pvalue,
    severity: severity(psi),
    reference_count: p.ref.length,
    current_count: p.cur.length,
  };
}

const SHARE = { unit: 'percentunit', min: 0 };
const SEVERITY_MAPPING = {
  mappings: [
    {
      type: 'value',
      options: {
        none: { color: 'green', index: 0 },
        moderate: { color: 'yellow', index: 1 },
        major: { color: 'red', index: 2 },
      },
    },
  ],
};

function singleFeature(feature: string, p: Populations, t: Target, refId: string): FrameJSON[] {
  const bins = t.bins ?? DEFAULT_HISTOGRAM_BINS;
  if (p.numeric) {
    const ref = p.ref as number[];
    const cur = p.cur as number[];
    const s = driftSummary(ref, cur);
    const js = bins === DEFAULT_HISTOGRAM_BINS ? s.js_divergence : jsDivergence(ref, cur, bins);
    const h = driftHistogram(ref, cur, bins);
    return [
      frame(FRAMES.drift.summary, refId, [
        num('psi', [s.psi], { decimals: 4 }),
        num('ks_statistic', [s.ks_statistic], { decimals: 4 }),
        num('ks_pvalue', [s.ks_pvalue]),
        num('wasserstein', [s.wasserstein]),
        num('js_divergence', [js], { decimals: 4 }),
        num('reference_count', [s.reference_count]),
        num('current_count', [s.current_count]),
        { ...str('severity', [s.severity]), config: SEVERITY_MAPPING },
      ]),
      frame(FRAMES.drift.histogram, refId, [
        num(
          'bin_lower',
          h.map((b) => b.lower)
        ),
        num(
          'bin_upper',
          h.map((b) => b.upper)
        ),
        num(
          'reference',
          h.map((b) => b.reference),
          SHARE
        ),
        num(
          'current',
          h.map((b) => b.current),
          SHARE
        ),
      ]),
    ];
  }
  const c = chiSquare(p.ref.map(String), p.cur.map(String));
  const row = featureRow(feature, p, bins);
  return [
    frame(FRAMES.drift.summary, refId, [
      num('chi_square', [c.statistic]),
      num('chi_square_pvalue', [c.pvalue]),
      num('dof', [c.dof]),
      num('psi', [row.psi], { decimals: 4 }),
      num('js_divergence', [row.js_divergence], { decimals: 4 }),
      num('reference_count', [p.ref.length]),
      num('current_count', [p.cur.length]),
      { ...str('severity', [row.severity]), config: SEVERITY_MAPPING },
    ]),
    frame(FRAMES.drift.categories, refId, [
      str(
        'category',
        c.categories.map((x) => x.category)
      ),
      num(
        'reference',
        c.categories.map((x) => x.reference),
        SHARE
      ),
      num(
        'current',
        c.categories.map((x) => x.current),
        SHARE
      ),
    ]),
  ];
}

export const drift: QueryModule<'drift'> = {
  type: 'drift',
  async run(t, ctx) {
    const patterns = Array.isArray(t.feature) ? t.feature : [t.feature];
    const many = patterns.length > 1 || patterns.some((f) => f.includes('*'));
    if (!many) {
      return singleFeature(patterns[0], await load(ctx, patterns[0], t), t, ctx.refId);
    }
    const known = await ctx.store.catalog('features');
    const features = known.filter((f) => patterns.some((p) => matches(f, p)));
    const rows: FeatureRow[] = [];
    for (const f of features) {
      const p = await load(ctx, f, t);
      if (p.ref.length || p.cur.length) {
        rows.push(featureRow(f, p, t.bins ?? DEFAULT_HISTOGRAM_BINS));
      }
    }
    // Worst first: severity, then PSI (unknown PSI last).
    rows.sort(
      (a, b) =>
        SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
        (Number.isNaN(a.psi) ? 1 : 0) - (Number.isNaN(b.psi) ? 1 : 0) ||
        b.psi - a.psi ||
        (a.feature < b.feature ? -1 : 1)
    );
    return [
      frame(FRAMES.drift.features, ctx.refId, [
        str(
          'feature',
          rows.map((r) => r.feature)
        ),
        str(
          'kind',
          rows.map((r) => r.kind)
        ),
        num(
          'psi',
          rows.map((r) => r.psi),
          { decimals: 4 }
        ),
        num(
          'ks_statistic',
          rows.map((r) => r.ks_statistic),
          { decimals: 4 }
        ),
        num(
          'wasserstein',
          rows.map((r) => r.wasserstein)
        ),
        num(
          'js_divergence',
          rows.map((r) => r.js_divergence),
          { decimals: 4 }
        ),
        num(
          'chi_square_pvalue',
          rows.map((r) => r.chi_square_pvalue)
        ),
        {
          ...str(
            'severity',
            rows.map((r) => r.severity)
          ),
          config: SEVERITY_MAPPING,
        },
        num(
          'reference_count',
          rows.map((r) => r.reference_count)
        ),
        num(
          'current_count',
          rows.map((r) => r.current_count)
        ),
      ]),
    ];
  },
};
