import type { DataFrame, PanelData } from '@grafana/data';
import type { DataQuery } from '@grafana/schema';
import {
  DRIFT_CATEGORY_FIELDS,
  DRIFT_HISTOGRAM_FIELDS,
  DRIFT_STAT_FIELDS,
  driftHistogram,
  driftSummary,
  SEVERITY_RANK,
  severity,
} from '@rlhf-monitor/contract';
import { fieldByName, firstValue, hasFields, nullableNumber, numbers } from '../shared/frames';
import type { DriftExtract, DriftOptions, FeatureStats, HistBin, Severity } from './types';

const STAT_FIELDS = DRIFT_STAT_FIELDS;

/** Our drift query target (DataQuery plus the fields the data source stores). */
type DriftTarget = DataQuery & { feature?: string; reference?: string; current?: string };

/** The contract's PSI severity with the panel's own bands (its options default to the contract's). */
export function severityOf(psi: number | null, o: Pick<DriftOptions, 'psiModerate' | 'psiMajor'>): Severity {
  return psi === null ? 'none' : severity(psi, { moderate: o.psiModerate, major: o.psiMajor });
}

function parseSeverity(v: unknown): Severity | null {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return s === 'none' || s === 'moderate' || s === 'major' ? s : null;
}

export function sortBySeverity(features: FeatureStats[]): FeatureStats[] {
  return [...features].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (b.psi ?? -1) - (a.psi ?? -1)
  );
}

/**
 * Frames -> drift view. Accepts, in order: a `features` frame (one row per feature), one or more drift
 * `summary` frames (with `histogram` frames), or two raw numeric samples from any data source, which are
 * compared here with the service's own analytics code.
 */
export function extractDrift(
  data: Pick<PanelData, 'series' | 'request'>,
  o: DriftOptions,
  replace: (s: string) => string = (s) => s
): DriftExtract {
  const series = data.series;
  const targets = (data.request?.targets ?? []) as DriftTarget[];
  const targetOf = (f: DataFrame) => targets.find((t) => t.refId === f.refId);
  const featureOf = (f: DataFrame) => replace(targetOf(f)?.feature ?? '') || f.refId || f.name || 'feature';
  const firstTarget = targets.find((t) => t.reference || t.current);
  // request.targets are the saved targets: "$reference" until interpolated with the dashboard's variables.
  const referenceLabel = (firstTarget?.reference && replace(firstTarget.reference)) || 'Reference';
  const currentLabel = (firstTarget?.current && replace(firstTarget.current)) || 'Current';

  const histograms: Record<string, HistBin[]> = {};
  for (const f of series.filter((s) => hasFields(s, [...DRIFT_HISTOGRAM_FIELDS]))) {
    const lo = numbers(fieldByName(f, 'bin_lower'));
    const hi = numbers(fieldByName(f, 'bin_upper'));
    const r = numbers(fieldByName(f, 'reference'));
    const c = numbers(fieldByName(f, 'current'));
    histograms[featureOf(f)] = lo.map((l, i) => ({ lower: l, upper: hi[i], reference: r[i] || 0, current: c[i] || 0 }));
  }

  // Categorical features: the `categories` frame (category, reference, current shares) drawn as one bar each.
  for (const f of series.filter((s) => hasFields(s, [...DRIFT_CATEGORY_FIELDS]))) {
    const cat = fieldByName(f, 'category')!.values;
    const r = numbers(fieldByName(f, 'reference'));
    const c = numbers(fieldByName(f, 'current'));
    histograms[featureOf(f)] = r.map((share, i) => ({
      label: String(cat[i]),
      lower: i,
      upper: i + 1,
      reference: share || 0,
      current: c[i] || 0,
    }));
  }

  const features: FeatureStats[] = [];
  const featuresFrame = series.find((s) => hasFields(s, ['feature', 'psi']));
  if (featuresFrame) {
    const names = fieldByName(featuresFrame, 'feature')!.values;
    for (let i = 0; i < featuresFrame.length; i++) {
      features.push(statsRow(featuresFrame, i, String(names[i]), o, featuresFrame.refId));
    }
  } else {
    for (const f of series.filter((s) => fieldByName(s, 'psi'))) {
      const named = firstValue(f, 'feature');
      features.push(statsRow(f, 0, named !== undefined ? String(named) : featureOf(f), o, f.refId));
    }
  }
  if (features.length > 0 || Object.keys(histograms).length > 0) {
    // A histogram without its summary still gets a row (statistics unknown).
    if (features.length === 0) {
      features.push(...Object.keys(histograms).map(emptyStats));
    }
    return {
      ok: true,
      view: { features: sortBySeverity(features), histograms, referenceLabel, currentLabel, source: 'frames' },
    };
  }
  return fromRaw(series, o);
}

function statsRow(f: DataFrame, i: number, feature: string, o: DriftOptions, refId?: string): FeatureStats {
  const get = (n: string) => nullableNumber(fieldByName(f, n)?.values[i]);
  const stats = Object.fromEntries(STAT_FIELDS.map((n) => [n, get(n)])) as Record<
    (typeof STAT_FIELDS)[number],
    number | null
  >;
  const given = parseSeverity(fieldByName(f, 'severity')?.values[i]);
  return { feature, refId, ...stats, severity: given ?? severityOf(stats.psi, o) };
}

function emptyStats(feature: string): FeatureStats {
  return {
    feature,
    psi: null,
    ks_statistic: null,
    ks_pvalue: null,
    wasserstein: null,
    js_divergence: null,
    reference_count: null,
    current_count: null,
    severity: 'none',
  };
}

/** A field by name in any frame, or the first numeric field of the frame whose refId/name is `key`. */
function sampleField(series: DataFrame[], key: string) {
  for (const f of series) {
    const byName = fieldByName(f, key);
    if (byName) {
      return byName;
    }
  }
  const frame = series.find((f) => f.refId === key || f.name === key);
  return frame?.fields.find((x) => x.type === 'number');
}

function fromRaw(series: DataFrame[], o: DriftOptions): DriftExtract {
  const refKey = o.referenceField || 'reference';
  const curKey = o.currentField || 'current';
  const ref = sampleField(series, refKey);
  const cur = sampleField(series, curKey);
  if (!ref || !cur) {
    const missing = [!ref && `"${refKey}"`, !cur && `"${curKey}"`].filter(Boolean).join(' and ');
    return {
      ok: false,
      missing: `the drift "summary" frame (psi, ks_statistic, …) or numeric sample field${!ref && !cur ? 's' : ''} ${missing}`,
    };
  }
  const a = numbers(ref).filter(Number.isFinite);
  const b = numbers(cur).filter(Number.isFinite);
  if (a.length === 0 || b.length === 0) {
    return { ok: false, missing: `values in ${a.length === 0 ? `"${refKey}"` : `"${curKey}"`} (0 numeric rows)` };
  }
  const s = driftSummary(a, b);
  const feature = ref.config?.displayName || (ref.name === cur.name ? refKey : `${ref.name} vs ${cur.name}`);
  const row: FeatureStats = { feature, ...s, severity: severityOf(s.psi, o) };
  return {
    ok: true,
    view: {
      features: [row],
      histograms: { [feature]: driftHistogram(a, b, Math.max(2, Math.min(100, Math.round(o.bins || 20)))) },
      referenceLabel: refKey,
      currentLabel: curKey,
      source: 'computed',
    },
  };
}
