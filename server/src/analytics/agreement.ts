// Inter-annotator agreement over preference annotations: Krippendorff's alpha, Fleiss' kappa, Cohen's kappa,
// percent agreement, per-annotator agreement with the majority, and the Landis-Koch band.
// An annotator who labels the same item twice counts once, with the last label given. Labels are compared as
// strings (1 and "1" are the same label); 'ordinal' and 'interval' alpha need numeric labels.

export interface Annotation {
  item: string;
  annotator: string;
  label: string | number;
}

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval';

/** item -> annotator -> label (last wins), in first-seen order. */
export type Units = Map<string, Map<string, string | number>>;

export function groupByItem(annotations: Iterable<Annotation>): Units {
  const units: Units = new Map();
  for (const a of annotations) {
    let u = units.get(a.item);
    if (!u) {
      u = new Map();
      units.set(a.item, u);
    }
    u.set(a.annotator, a.label);
  }
  return units;
}

function toUnits(input: Iterable<Annotation> | Units): Units {
  return input instanceof Map ? input : groupByItem(input);
}

function numericLabel(label: string | number): number {
  const x = typeof label === 'number' ? label : label.trim() === '' ? Number.NaN : Number(label);
  if (!Number.isFinite(x)) {
    throw new Error(`label "${label}" is not a number: ordinal and interval alpha need numeric labels`);
  }
  return x;
}

/** Σ_i (x_i − mean)² of a small array, two-pass for stability. */
function sumSquares(xs: number[]): number {
  let mean = 0;
  for (const x of xs) {
    mean += x;
  }
  mean /= xs.length;
  let ss = 0;
  for (const x of xs) {
    ss += (x - mean) * (x - mean);
  }
  return ss;
}

/**
 * Krippendorff's alpha with missing data (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability", §C-§E):
 * α = 1 − D_o/D_e = 1 − (n−1) Σ_u [Σ_{c,k} n_uc n_uk δ²_ck / (m_u−1)] / Σ_{c,k} n_c n_k δ²_ck over pairable units
 * (m_u >= 2 values). Nominal δ² = [c ≠ k]. Interval δ² = (c − k)², summed in O(m) as Σ_{i,j}(x_i − x_j)² = 2m·Σ(x_i − x̄)².
 * Ordinal δ_ck = Σ_{g=c..k} n_g − (n_c + n_k)/2, which equals the difference of the mid-ranks
 * r_g = Σ_{g'<g} n_g' + n_g/2, so ordinal alpha is interval alpha on mid-ranks. Total O(n log n).
 * null when there is no pairable unit or no variation at all (D_e = 0).
 */
export function krippendorffAlpha(input: Iterable<Annotation> | Units, level: AlphaLevel = 'nominal'): number | null {
  const units: Array<Array<string | number>> = [];
  for (const u of toUnits(input).values()) {
    if (u.size >= 2) {
      units.push([...u.values()]);
    }
  }
  if (units.length === 0) {
    return null;
  }
  let n = 0;
  if (level === 'nominal') {
    const totals = new Map<string, number>();
    let observed = 0;
    for (const values of units) {
      const m = values.length;
      const counts = new Map<string, number>();
      for (const v of values) {
        const key = String(v);
        counts.set(key, (counts.get(key) ?? 0) + 1);
        totals.set(key, (totals.get(key) ?? 0) + 1);
      }
      let sq = 0;
      for (const c of counts.values()) {
        sq += c * c;
      }
      observed += (m * m - sq) / (m - 1);
      n += m;
    }
    let sqTotal = 0;
    for (const c of totals.values()) {
      sqTotal += c * c;
    }
    const expected = n * n - sqTotal;
    return expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
  }

  let numeric = units.map((values) => values.map(numericLabel));
  if (level === 'ordinal') {
    const totals = new Map<number, number>();
    for (const values of numeric) {
      for (const v of values) {
        totals.set(v, (totals.get(v) ?? 0) + 1);
      }
    }
    const rank = new Map<number, number>();
    let below = 0;
    for (const v of [...totals.keys()].sort((a, b) => a - b)) {
      const c = totals.get(v)!;
      rank.set(v, below + c / 2);
      below += c;
    }
    numeric = numeric.map((values) => values.map((v) => rank.get(v)!));
  }
  let observed = 0;
  const all: number[] = [];
  for (const values of numeric) {
    const m = values.length;
    observed += (2 * m * sumSquares(values)) / (m - 1);
    n += m;
    for (const v of values) {
      all.push(v);
    }
  }
  const expected = 2 * n * sumSquares(all);
  return expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
}

/** Per item, label -> count, for items with at least one rating. */
function itemCounts(units: Units): Array<Map<string, number>> {
  const out: Array<Map<string, number>> = [];
  for (const u of units.values()) {
    const counts = new Map<string, number>();
    for (const v of u.values()) {
      const key = String(v);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    out.push(counts);
  }
  return out;
}

/**
 * Fleiss' kappa (Fleiss 1971, "Measuring nominal scale agreement among many raters"): κ = (P̄ − P̄e)/(1 − P̄e) with
 * P_i = (Σ_c n_ic² − r)/(r(r−1)) and P̄e = Σ_c p_c². Defined only when every item has the same number r >= 2 of
 * ratings: null otherwise, and null when P̄e = 1 (one category used throughout).
 */
export function fleissKappa(input: Iterable<Annotation> | Units): number | null {
  const items = itemCounts(toUnits(input));
  if (items.length === 0) {
    return null;
  }
  let r = -1;
  for (const counts of items) {
    let m = 0;
    for (const c of counts.values()) {
      m += c;
    }
    if (r === -1) {
      r = m;
    } else if (m !== r) {
      return null;
    }
  }
  if (r < 2) {
    return null;
  }
  let pBar = 0;
  const totals = new Map<string, number>();
  for (const counts of items) {
    let sq = 0;
    for (const [label, c] of counts) {
      sq += c * c;
      totals.set(label, (totals.get(label) ?? 0) + c);
    }
    pBar += (sq - r) / (r * (r - 1));
  }
  pBar /= items.length;
  let pe = 0;
  const total = items.length * r;
  for (const c of totals.values()) {
    pe += (c / total) * (c / total);
  }
  return pe >= 1 ? null : (pBar - pe) / (1 - pe);
}

/**
 * Percent agreement: the mean, over items with at least two ratings, of the share of agreeing rater pairs,
 * Σ_c n_ic(n_ic − 1) / (m_i(m_i − 1)) (Fleiss' P_i, allowing any number of raters per item). null without such items.
 */
export function percentAgreement(input: Iterable<Annotation> | Units): number | null {
  let sum = 0;
  let items = 0;
  for (const counts of itemCounts(toUnits(input))) {
    let m = 0;
    let agree = 0;
    for (const c of counts.values()) {
      m += c;
      agree += c * (c - 1);
    }
    if (m >= 2) {
      sum += agree / (m * (m - 1));
      items++;
    }
  }
  return items ? sum / items : null;
}

/**
 * Cohen's kappa for two raters over paired labels (Cohen 1960): κ = (p_o − p_e)/(1 − p_e), p_e = Σ_c p_a(c)·p_b(c).
 * null when there are no pairs or p_e = 1 (both raters used one and the same category throughout).
 */
export function cohenKappa(a: ArrayLike<string | number>, b: ArrayLike<string | number>): number | null {
  const n = Math.min(a.length, b.length);
  if (n === 0) {
    return null;
  }
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  let agree = 0;
  for (let i = 0; i < n; i++) {
    const x = String(a[i]);
    const y = String(b[i]);
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
    if (x === y) {
      agree++;
    }
  }
  return kappaFromCounts(agree, n, ca, cb);
}

function kappaFromCounts(agree: number, n: number, ca: Map<string, number>, cb: Map<string, number>): number | null {
  let pe = 0;
  for (const [label, c] of ca) {
    pe += (c / n) * ((cb.get(label) ?? 0) / n);
  }
  const po = agree / n;
  return pe >= 1 ? null : (po - pe) / (1 - pe);
}

export interface PairAgreement {
  annotator_a: string;
  annotator_b: string;
  cohen_kappa: number | null;
  items: number;
}

/**
 * Cohen's kappa for every pair of annotators over the items both labelled (pairs sharing no item are left out).
 * O(Σ_i m_i²) for m_i ratings of item i. Sorted by annotator_a, annotator_b (annotator_a < annotator_b).
 */
export function pairwiseKappa(input: Iterable<Annotation> | Units): PairAgreement[] {
  interface Acc {
    n: number;
    agree: number;
    ca: Map<string, number>;
    cb: Map<string, number>;
  }
  // annotator_a -> annotator_b -> accumulator (annotator_a < annotator_b)
  const pairs = new Map<string, Map<string, Acc>>();
  for (const u of toUnits(input).values()) {
    const raters = [...u.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    for (let i = 0; i < raters.length; i++) {
      let row = pairs.get(raters[i][0]);
      if (!row) {
        row = new Map();
        pairs.set(raters[i][0], row);
      }
      const x = String(raters[i][1]);
      for (let j = i + 1; j < raters.length; j++) {
        let acc = row.get(raters[j][0]);
        if (!acc) {
          acc = { n: 0, agree: 0, ca: new Map(), cb: new Map() };
          row.set(raters[j][0], acc);
        }
        const y = String(raters[j][1]);
        acc.n++;
        acc.ca.set(x, (acc.ca.get(x) ?? 0) + 1);
        acc.cb.set(y, (acc.cb.get(y) ?? 0) + 1);
        if (x === y) {
          acc.agree++;
        }
      }
    }
  }
  const out: PairAgreement[] = [];
  for (const [a, row] of pairs) {
    for (const [b, acc] of row) {
      out.push({
        annotator_a: a,
        annotator_b: b,
        cohen_kappa: kappaFromCounts(acc.agree, acc.n, acc.ca, acc.cb),
        items: acc.n,
      });
    }
  }
  return out.sort((x, y) =>
    x.annotator_a !== y.annotator_a
      ? x.annotator_a < y.annotator_a
        ? -1
        : 1
      : x.annotator_b < y.annotator_b
        ? -1
        : x.annotator_b > y.annotator_b
          ? 1
          : 0
  );
}

export interface AnnotatorAgreement {
  annotator: string;
  items: number;
  /**
   * Share of the annotator's items with at least one other rating where the annotator's label is a most frequent
   * label among the OTHER annotators of that item (leave-one-out majority, ties count as agreement); null if the
   * annotator never shares an item.
   */
  agreement_with_majority: number | null;
}

export function annotatorAgreement(input: Iterable<Annotation> | Units): AnnotatorAgreement[] {
  const acc = new Map<string, { items: number; shared: number; agree: number }>();
  for (const u of toUnits(input).values()) {
    const counts = new Map<string, number>();
    for (const v of u.values()) {
      const key = String(v);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [annotator, label] of u) {
      let a = acc.get(annotator);
      if (!a) {
        a = { items: 0, shared: 0, agree: 0 };
        acc.set(annotator, a);
      }
      a.items++;
      if (u.size < 2) {
        continue;
      }
      const own = String(label);
      // Counts among the others: remove this annotator's own vote.
      let top = 0;
      for (const [l, c] of counts) {
        top = Math.max(top, l === own ? c - 1 : c);
      }
      a.shared++;
      if ((counts.get(own) ?? 0) - 1 === top && top > 0) {
        a.agree++;
      }
    }
  }
  return [...acc.entries()]
    .map(([annotator, a]) => ({
      annotator,
      items: a.items,
      agreement_with_majority: a.shared ? a.agree / a.shared : null,
    }))
    .sort((x, y) => (x.annotator < y.annotator ? -1 : x.annotator > y.annotator ? 1 : 0));
}

export type LandisKochBand = 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost perfect';

/** Landis & Koch (1977) bands: < 0 poor, 0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80 substantial, 0.81-1 almost perfect. */
export function landisKoch(k: number): LandisKochBand {
  if (k < 0) {
    return 'poor';
  }
  if (k <= 0.2) {
    return 'slight';
  }
  if (k <= 0.4) {
    return 'fair';
  }
  if (k <= 0.6) {
    return 'moderate';
  }
  return k <= 0.8 ? 'substantial' : 'almost perfect';
}

export interface AgreementSummary {
  krippendorff_alpha: number | null;
  fleiss_kappa: number | null;
  percent_agreement: number | null;
  items: number;
  annotators: number;
  /** Landis-Koch band of Krippendorff's alpha (defined with missing data, unlike Fleiss' kappa); null if alpha is. */
  landis_koch: LandisKochBand | null;
}

export function agreementSummary(input: Iterable<Annotation> | Units, level: AlphaLevel = 'nominal'): AgreementSummary {
  const units = toUnits(input);
  const annotators = new Set<string>();
  for (const u of units.values()) {
    for (const a of u.keys()) {
      annotators.add(a);
    }
  }
  const alpha = krippendorffAlpha(units, level);
  return {
    krippendorff_alpha: alpha,
    fleiss_kappa: fleissKappa(units),
    percent_agreement: percentAgreement(units),
    items: units.size,
    annotators: annotators.size,
    landis_koch: alpha === null ? null : landisKoch(alpha),
  };
}

export interface LabelShare {
  label: string;
  count: number;
  share: number;
}

/**
 * Label balance: how often each label was given over all ratings, most frequent first (ties by label).
 * A preference set whose "A" share drifts far from 50% hints at position bias in the annotation UI.
 */
export function labelBalance(input: Iterable<Annotation> | Units): LabelShare[] {
  const units = input instanceof Map ? input : groupByItem(input);
  const counts = new Map<string, number>();
  let total = 0;
  for (const ratings of units.values()) {
    for (const label of ratings.values()) {
      counts.set(String(label), (counts.get(String(label)) ?? 0) + 1);
      total++;
    }
  }
  return [...counts]
    .map(([label, count]) => ({ label, count, share: count / total }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}
