// Distribution drift between a reference and a current population (docs/contract.md, "Statistics").
// Numeric: PSI, two-sample Kolmogorov-Smirnov, first Wasserstein distance, Jensen-Shannon divergence, histogram.
// Categorical: chi-square test of homogeneity and PSI over category shares.
// Every numeric statistic sorts each sample once (radix sort, O(n)) and then walks it linearly.

import { quantileSorted } from './calibration';
import { sortedFloat64 } from './sort';
import { severity, type Severity } from '../thresholds';
import { chiSquareSf, kolmogorovSf } from './special';

/** Ascending Float64Array copy (radix sort, O(n)). */
export function sortedCopy(a: ArrayLike<number>): Float64Array {
  return sortedFloat64(a);
}

// ---------------------------------------------------------------------------------------------------------------
// PSI

export const PSI_FLOOR = 1e-4;

/** PSI = Σ (c_i − r_i) · ln(c_i / r_i) over shares floored at 1e-4 (not renormalised) (Yurdakul 2018, "Statistical Properties of the Population Stability Index"). */
export function psiFromShares(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i], PSI_FLOOR);
    const c = Math.max(current[i], PSI_FLOOR);
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

function psiSorted(ref: Float64Array, cur: Float64Array): number {
  if (ref.length === 0 || cur.length === 0) {
    return Number.NaN;
  }
  // Ten bins (−∞, c1], (c1, c2], ..., (c9, ∞) cut at the reference deciles (type-7 quantiles); tied deciles
  // collapse into one cut.
  const cuts: number[] = [];
  for (let k = 1; k < 10; k++) {
    const q = quantileSorted(ref, k / 10);
    if (cuts.length === 0 || q > cuts[cuts.length - 1]) {
      cuts.push(q);
    }
  }
  const r = new Float64Array(cuts.length + 1);
  const c = new Float64Array(cuts.length + 1);
  // Both samples are sorted: walk them against the cuts instead of searching per value.
  const fill = (s: Float64Array, out: Float64Array) => {
    let bin = 0;
    for (let i = 0; i < s.length; i++) {
      while (bin < cuts.length && s[i] > cuts[bin]) {
        bin++;
      }
      out[bin]++;
    }
    for (let b = 0; b < out.length; b++) {
      out[b] /= s.length;
    }
  };
  fill(ref, r);
  fill(cur, c);
  return psiFromShares(r, c);
}

/** Population Stability Index over ten bins cut at the reference deciles, shares floored at 1e-4. */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  return psiSorted(sortedCopy(reference), sortedCopy(current));
}

// ---------------------------------------------------------------------------------------------------------------
// Kolmogorov-Smirnov

/** Above this sample size the p-value is asymptotic, as scipy.stats.ks_2samp(method='auto') does (MAX_AUTO_N). */
export const KS_EXACT_MAX_N = 10000;

/** max over pooled values of |i·n2 − j·n1|, i.e. the KS statistic times n1·n2 (an exact integer). */
function ksNumerator(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < n1 && j < n2) {
    const x = a[i] <= b[j] ? a[i] : b[j];
    while (i < n1 && a[i] === x) {
      i++;
    }
    while (j < n2 && b[j] === x) {
      j++;
    }
    const d = Math.abs(i * n2 - j * n1);
    if (d > best) {
      best = d;
    }
  }
  return best;
}

/**
 * Exact P(D >= d) for equal sizes n via the reflection principle (Gnedenko & Korolyuk 1951):
 * P = 2 Σ_{k>=1} (−1)^(k−1) C(2n, n − k·h) / C(2n, n), with d = h/n. O(n).
 */
function ksExactEqual(n: number, h: number): number {
  let ratio = 1; // C(2n, n − t) / C(2n, n)
  let sum = 0;
  for (let t = 1; t <= n; t++) {
    ratio *= (n - t + 1) / (n + t);
    if (t % h === 0) {
      sum += (t / h) % 2 === 1 ? ratio : -ratio;
    }
    if (ratio < 1e-300) {
      break;
    }
  }
  return 2 * sum;
}

/**
 * Exact P(D >= d) for sizes m != n: the chance that a uniformly random merge order of the two samples (a lattice
 * path from (0,0) to (m,n)) ever leaves the band |i·n − j·m| < k, k = d·m·n (Hodges 1957). The path is walked as a
 * Markov chain: from (i, j) it steps in i with probability (m−i)/(m+n−i−j). q(i, j) is the chance of reaching (i, j)
 * without having left the band; the p-value is the total flow out of the band, a sum of positive terms, so tiny
 * p-values keep full relative precision (no 1 − x cancellation). O(m · band), band ≈ 2·d·n wide.
 */
function ksExactBand(m: number, n: number, k: number): number {
  const lo = (i: number) => Math.max(0, Math.floor((i * n - k) / m) + 1);
  const hi = (i: number) => Math.min(n, Math.ceil((i * n + k) / m) - 1);
  const row = new Float64Array(n + 1);
  let outside = 0;
  let prevLo = 0;
  let prevHi = -1;
  for (let i = 0; i <= m; i++) {
    const a = lo(i);
    const b = hi(i);
    for (let j = prevLo; j < a && j <= prevHi; j++) {
      row[j] = 0; // cells that left the band: their flow was counted when it left
    }
    for (let j = a; j <= b; j++) {
      const left = m + n - i - j + 1; // steps left before arriving here
      let q = i === 0 && j === 0 ? 1 : 0;
      if (i > 0 && j >= prevLo && j <= prevHi) {
        q += (row[j] * (m - i + 1)) / left;
      }
      if (j > a) {
        q += (row[j - 1] * (n - j + 1)) / left;
      }
      row[j] = q;
    }
    // Flow leaving the band from this row: a step in j past b, or a step in i to a cell outside row i+1's band.
    const nextLo = i < m ? lo(i + 1) : 0;
    const nextHi = i < m ? hi(i + 1) : n;
    for (let j = a; j <= b; j++) {
      const remaining = m + n - i - j;
      if (remaining === 0) {
        continue;
      }
      if (j === b && j < n) {
        outside += (row[j] * (n - j)) / remaining;
      }
      if (i < m && (j < nextLo || j > nextHi)) {
        outside += (row[j] * (m - i)) / remaining;
      }
    }
    prevLo = a;
    prevHi = b;
  }
  return outside;
}

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided (Smirnov 1939). statistic = sup_x |F_a(x) − F_b(x)| over the
 * pooled values (ties handled as scipy.stats.ks_2samp). p-value as scipy's method='auto': exact when
 * max(n1, n2) <= 10000 (equal sizes: Gnedenko-Korolyuk sum; else the lattice-path band count), otherwise the
 * asymptotic Kolmogorov distribution with Stephens' (1970) small-sample correction
 * λ = (√en + 0.12 + 0.11/√en)·D, en = n1·n2/(n1+n2) (agrees with scipy's kstwo.sf(D, round(en)) to ~1% relative
 * for p > 1e-8). Empty input: NaN.
 */
export function ks2samp(a: ArrayLike<number>, b: ArrayLike<number>): { statistic: number; pvalue: number } {
  return ksSorted(sortedCopy(a), sortedCopy(b));
}

function ksSorted(a: Float64Array, b: Float64Array): { statistic: number; pvalue: number } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    return { statistic: Number.NaN, pvalue: Number.NaN };
  }
  const num = ksNumerator(a, b);
  const statistic = num / (n1 * n2);
  if (num === 0) {
    return { statistic: 0, pvalue: 1 };
  }
  let pvalue: number;
  const en = (n1 * n2) / (n1 + n2);
  const asymptotic = kolmogorovSf((Math.sqrt(en) + 0.12 + 0.11 / Math.sqrt(en)) * statistic);
  // Where even the asymptotic tail underflows (p < 1e-300) the exact walk would only confirm ~0: skip its O(m·band).
  if (Math.max(n1, n2) <= KS_EXACT_MAX_N && asymptotic > 1e-300) {
    if (n1 === n2) {
      pvalue = ksExactEqual(n1, num / n1);
    } else {
      const [m, n] = n1 <= n2 ? [n1, n2] : [n2, n1];
      // The band is symmetric in the two samples; k = D·n1·n2 is an exact integer.
      pvalue = ksExactBand(m, n, num);
    }
  } else {
    pvalue = asymptotic;
  }
  return { statistic, pvalue: Math.min(1, Math.max(0, pvalue)) };
}

// ---------------------------------------------------------------------------------------------------------------
// Wasserstein

/**
 * First Wasserstein distance between two empirical distributions: ∫ |F_a(x) − F_b(x)| dx (Vallender 1974), the
 * value of scipy.stats.wasserstein_distance(a, b). Empty input: NaN.
 */
export function wasserstein1(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return wassersteinSorted(sortedCopy(a), sortedCopy(b));
}

function wassersteinSorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) {
    return Number.NaN;
  }
  let i = 0;
  let j = 0;
  let x = Math.min(a[0], b[0]);
  let sum = 0;
  while (i < n1 || j < n2) {
    // Advance past every value equal to x, then integrate |F_a − F_b| up to the next pooled value.
    while (i < n1 && a[i] === x) {
      i++;
    }
    while (j < n2 && b[j] === x) {
      j++;
    }
    const next = i < n1 ? (j < n2 ? Math.min(a[i], b[j]) : a[i]) : j < n2 ? b[j] : x;
    sum += Math.abs(i / n1 - j / n2) * (next - x);
    x = next;
  }
  return sum;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared-bin histograms and Jensen-Shannon

export const DEFAULT_HISTOGRAM_BINS = 20;

/** Equal-width bins over the pooled range [min, max]; the max lands in the last bin. All equal: one bin [v, v]. */
function sharedBins(
  a: Float64Array,
  b: Float64Array,
  bins: number
): { lower: Float64Array; upper: Float64Array; ra: Float64Array; rb: Float64Array } {
  const lo = Math.min(a.length ? a[0] : Infinity, b.length ? b[0] : Infinity);
  const hi = Math.max(a.length ? a[a.length - 1] : -Infinity, b.length ? b[b.length - 1] : -Infinity);
  const B = hi > lo ? Math.max(1, Math.floor(bins)) : 1;
  const width = (hi - lo) / B;
  const lower = new Float64Array(B);
  const upper = new Float64Array(B);
  for (let k = 0; k < B; k++) {
    lower[k] = lo + k * width;
    upper[k] = k === B - 1 ? hi : lo + (k + 1) * width;
  }
  const share = (s: Float64Array) => {
    const out = new Float64Array(B);
    for (let i = 0; i < s.length; i++) {
      let k = width > 0 ? Math.floor((s[i] - lo) / width) : 0;
      // The division can round across an edge: settle against the edges themselves (as numpy.histogram does).
      if (k >= B) {
        k = B - 1;
      } else if (k > 0 && s[i] < lower[k]) {
        k--;
      } else if (k + 1 < B && s[i] >= lower[k + 1]) {
        k++;
      }
      out[k]++;
    }
    for (let k = 0; k < B; k++) {
      out[k] = s.length ? out[k] / s.length : 0;
    }
    return out;
  };
  return { lower, upper, ra: share(a), rb: share(b) };
}

/**
 * Jensen-Shannon divergence (Lin 1991) of the two histograms on shared equal-width bins over the pooled range,
 * JS = ½ KL(P‖M) + ½ KL(Q‖M), M = ½(P+Q), in bits (log base 2) so it lies in [0, 1]. It is the square of
 * scipy.spatial.distance.jensenshannon(p, q, base=2). Default 20 bins. Empty input: NaN.
 */
export function jsDivergence(a: ArrayLike<number>, b: ArrayLike<number>, bins = DEFAULT_HISTOGRAM_BINS): number {
  return jsSorted(sortedCopy(a), sortedCopy(b), bins);
}

export function jsFromShares(p: ArrayLike<number>, q: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < p.length; k++) {
    const m = (p[k] + q[k]) / 2;
    if (p[k] > 0) {
      sum += 0.5 * p[k] * Math.log2(p[k] / m);
    }
    if (q[k] > 0) {
      sum += 0.5 * q[k] * Math.log2(q[k] / m);
    }
  }
  return Math.min(1, Math.max(0, sum));
}

function jsSorted(a: Float64Array, b: Float64Array, bins: number): number {
  if (a.length === 0 || b.length === 0) {
    return Number.NaN;
  }
  const { ra, rb } = sharedBins(a, b, bins);
  return jsFromShares(ra, rb);
}

/** Histogram of both samples on shared equal-width bins over the pooled range, as shares of each sample. */
export function driftHistogram(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  bins = DEFAULT_HISTOGRAM_BINS
): Array<{ lower: number; upper: number; reference: number; current: number }> {
  const a = sortedCopy(reference);
  const b = sortedCopy(current);
  if (a.length === 0 && b.length === 0) {
    return [];
  }
  const { lower, upper, ra, rb } = sharedBins(a, b, bins);
  return Array.from(lower, (l, k) => ({ lower: l, upper: upper[k], reference: ra[k], current: rb[k] }));
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

export interface DriftSummary {
  psi: number;
  ks_statistic: number;
  ks_pvalue: number;
  wasserstein: number;
  js_divergence: number;
  reference_count: number;
  current_count: number;
  severity: Severity;
}

/** Every numeric drift figure of one feature, sorting each sample once. */
export function driftSummary(reference: ArrayLike<number>, current: ArrayLike<number>): DriftSummary {
  const a = sortedCopy(reference);
  const b = sortedCopy(current);
  const p = psiSorted(a, b);
  const ks = ksSorted(a, b);
  return {
    psi: p,
    ks_statistic: ks.statistic,
    ks_pvalue: ks.pvalue,
    wasserstein: wassersteinSorted(a, b),
    js_divergence: jsSorted(a, b, DEFAULT_HISTOGRAM_BINS),
    reference_count: a.length,
    current_count: b.length,
    severity: severity(p),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Categorical

export interface ChiSquareResult {
  statistic: number;
  dof: number;
  pvalue: number;
  /** Shares of each category in each population, most frequent (pooled) first. */
  categories: Array<{ category: string; reference: number; current: number }>;
}

/**
 * Pearson's chi-square test of homogeneity on the 2 × k table of category counts (Pearson 1900), without Yates'
 * continuity correction: equal to scipy.stats.chi2_contingency(table, correction=False). dof = k − 1.
 * One side empty: statistic and p-value NaN.
 */
export function chiSquare(reference: ArrayLike<string>, current: ArrayLike<string>): ChiSquareResult {
  const counts = new Map<string, [number, number]>();
  const add = (xs: ArrayLike<string>, side: 0 | 1) => {
    for (let i = 0; i < xs.length; i++) {
      let c = counts.get(xs[i]);
      if (!c) {
        c = [0, 0];
        counts.set(xs[i], c);
      }
      c[side]++;
    }
  };
  add(reference, 0);
  add(current, 1);
  const nr = reference.length;
  const nc = current.length;
  const entries = [...counts.entries()].sort(
    (x, y) => y[1][0] + y[1][1] - (x[1][0] + x[1][1]) || (x[0] < y[0] ? -1 : 1)
  );
  const categories = entries.map(([category, [r, c]]) => ({
    category,
    reference: nr ? r / nr : 0,
    current: nc ? c / nc : 0,
  }));
  const dof = Math.max(0, entries.length - 1);
  if (nr === 0 || nc === 0) {
    return { statistic: Number.NaN, dof, pvalue: Number.NaN, categories };
  }
  const total = nr + nc;
  let statistic = 0;
  for (const [, [r, c]] of entries) {
    const col = r + c;
    const er = (nr * col) / total;
    const ec = (nc * col) / total;
    statistic += ((r - er) * (r - er)) / er + ((c - ec) * (c - ec)) / ec;
  }
  return { statistic, dof, pvalue: dof === 0 ? 1 : chiSquareSf(statistic, dof), categories };
}

/** PSI over category shares (same floor), so categorical features get the same severity bands. */
export function categoricalPsi(categories: ChiSquareResult['categories']): number {
  return psiFromShares(
    categories.map((c) => c.reference),
    categories.map((c) => c.current)
  );
}
