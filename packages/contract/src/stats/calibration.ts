// Reward-model calibration: reliability bins, ECE, MCE, Brier score and temperature scaling.
// Definitions follow docs/contract.md ("Statistics"):
//   ECE = Σ_b n_b/N · |accuracy_b − confidence_b| (Naeini, Cooper & Hauskrecht 2015; Guo et al. 2017, eq. 3),
//   MCE = max_b |accuracy_b − confidence_b| over non-empty bins (Naeini et al. 2015),
//   Brier = 1/N Σ (confidence − correct)² (Brier 1950, binary form).
// Uniform bins are [k/B, (k+1)/B) with confidence 1.0 in the last bin (as sklearn's calibration_curve, but with
// exact edges k/B rather than numpy's k·(1/B), so that 0.3 falls in [0.3, 0.4)). Quantile bins have equal mass:
// edges at the 0, 1/B, ..., 1 quantiles of the confidences (linear interpolation), a value goes to the bin of the
// number of inner edges <= it (sklearn strategy='quantile'); tied edges give empty bins.

import { sortedFloat64 } from './sort';

export type Binning = 'uniform' | 'quantile';

export interface CalibrationBin {
  lower: number;
  upper: number;
  /** Mean confidence in the bin; null when empty. */
  confidence: number | null;
  /** Share correct in the bin; null when empty. */
  accuracy: number | null;
  count: number;
}

export interface CalibrationResult {
  bins: CalibrationBin[];
  ece: number | null;
  mce: number | null;
  brier: number | null;
  accuracy: number | null;
  count: number;
}

function asBit(v: number | boolean): number {
  return v === true || v === 1 ? 1 : 0;
}

/** Linear-interpolation quantile (Hyndman & Fan 1996 type 7, numpy's default) of an ascending array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) {
    return Number.NaN;
  }
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Index of the uniform bin [k/B, (k+1)/B) holding c; 1.0 (and anything above) goes to the last bin. */
function uniformBin(c: number, bins: number): number {
  let k = Math.floor(c * bins);
  // c·B can round across an integer; correct against the exact edges k/B.
  if (k > 0 && c < k / bins) {
    k--;
  } else if (k + 1 < bins && c >= (k + 1) / bins) {
    k++;
  }
  return k < 0 ? 0 : k >= bins ? bins - 1 : k;
}

/** Number of edges e (ascending) with e <= x: numpy.searchsorted(edges, x, side='right'). */
function countAtMost(edges: Float64Array, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** Reliability bins and calibration errors in one O(n) pass (quantile bins add one radix sort, also O(n)). */
export function calibration(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>,
  opts: { bins?: number; binning?: Binning } = {}
): CalibrationResult {
  const n = Math.min(confidence.length, correct.length);
  const B = Math.max(1, Math.floor(opts.bins ?? 10) || 10);
  const binning = opts.binning ?? 'uniform';

  let edges: Float64Array;
  let inner: Float64Array | null = null;
  if (binning === 'quantile' && n > 0) {
    const sorted = sortedFloat64(n === confidence.length ? confidence : Array.prototype.slice.call(confidence, 0, n));
    edges = new Float64Array(B + 1);
    for (let b = 0; b <= B; b++) {
      edges[b] = quantileSorted(sorted, b / B);
    }
    inner = edges.subarray(1, B);
  } else {
    edges = Float64Array.from({ length: B + 1 }, (_, b) => b / B);
  }

  const count = new Float64Array(B);
  const sumConf = new Float64Array(B);
  const sumCorrect = new Float64Array(B);
  let brierSum = 0;
  let correctSum = 0;
  for (let i = 0; i < n; i++) {
    const c = confidence[i];
    const y = asBit(correct[i]);
    const b = inner ? countAtMost(inner, c) : uniformBin(c, B);
    count[b]++;
    sumConf[b] += c;
    sumCorrect[b] += y;
    brierSum += (c - y) * (c - y);
    correctSum += y;
  }

  const bins: CalibrationBin[] = [];
  let ece = 0;
  let mce = 0;
  for (let b = 0; b < B; b++) {
    const m = count[b];
    const conf = m > 0 ? sumConf[b] / m : null;
    const acc = m > 0 ? sumCorrect[b] / m : null;
    if (conf !== null && acc !== null) {
      const gap = Math.abs(acc - conf);
      ece += (m / n) * gap;
      mce = Math.max(mce, gap);
    }
    bins.push({ lower: edges[b], upper: edges[b + 1], confidence: conf, accuracy: acc, count: m });
  }
  if (n === 0) {
    return { bins, ece: null, mce: null, brier: null, accuracy: null, count: 0 };
  }
  return { bins, ece, mce, brier: brierSum / n, accuracy: correctSum / n, count: n };
}

// Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks", §4.2), binary form:
// p' = σ(logit(p) / T), with T > 0 chosen to minimise the mean log loss on the given predictions.

const CLAMP = 1e-12; // confidences of exactly 0 or 1 would have infinite logits

function logit(p: number): number {
  const q = p < CLAMP ? CLAMP : p > 1 - CLAMP ? 1 - CLAMP : p;
  return Math.log(q / (1 - q));
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Mean binary log loss of σ(z/T): −log σ(s) = softplus(−s), −log(1−σ(s)) = softplus(s). */
function logLoss(z: Float64Array, y: Uint8Array, temperature: number): number {
  let sum = 0;
  const inv = 1 / temperature;
  for (let i = 0; i < z.length; i++) {
    const s = z[i] * inv;
    sum += y[i] ? softplus(-s) : softplus(s);
  }
  return sum / z.length;
}

/** Mean gradient and curvature of the log loss in w = 1/T: d/dw softplus(−t·w·z) = −t·z·σ(−t·w·z), d² = z²·σ(wz)·σ(−wz). */
function lossDerivatives(z: Float64Array, y: Uint8Array, w: number): { g: number; h: number } {
  let g = 0;
  let h = 0;
  for (let i = 0; i < z.length; i++) {
    const s = 1 / (1 + Math.exp(-w * z[i])); // σ(w·z)
    // y = 1: −z·σ(−wz) = −z·(1 − s); y = 0: +z·σ(wz) = z·s
    g += y[i] ? -z[i] * (1 - s) : z[i] * s;
    h += z[i] * z[i] * s * (1 - s);
  }
  return { g: g / z.length, h: h / z.length };
}

/**
 * The temperature T in [0.01, 100] that minimises log loss. The loss is convex in w = 1/T (it is a one-weight
 * logistic regression on the logits), so a safeguarded Newton iteration on w converges in a handful of O(n)
 * passes; a step that leaves the bracket of the root of the gradient is replaced by log-bisection.
 * T > 1 softens over-confident predictions, T < 1 sharpens under-confident ones. Empty input: T = 1 and NaN losses.
 */
export function fitTemperature(
  confidence: ArrayLike<number>,
  correct: ArrayLike<number | boolean>
): { temperature: number; logLossBefore: number; logLossAfter: number } {
  const n = Math.min(confidence.length, correct.length);
  if (n === 0) {
    return { temperature: 1, logLossBefore: Number.NaN, logLossAfter: Number.NaN };
  }
  const z = new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    z[i] = logit(confidence[i]);
    y[i] = asBit(correct[i]);
  }
  let lo = 0.01;
  let hi = 100;
  let w = 1;
  for (let iter = 0; iter < 200; iter++) {
    const { g, h } = lossDerivatives(z, y, w);
    if (g === 0 || h === 0) {
      break; // at the optimum, or every logit is 0 and T does not matter
    }
    const step = g / h;
    if (Math.abs(step) <= 1e-10 * w) {
      w -= step;
      break;
    }
    if (g > 0) {
      hi = w;
    } else {
      lo = w;
    }
    const next = w - step;
    w = next > lo && next < hi ? next : Math.sqrt(lo * hi);
    if (hi / lo < 1 + 1e-10) {
      break; // pinned to a bound of [0.01, 100]
    }
  }
  const temperature = 1 / w;
  return { temperature, logLossBefore: logLoss(z, y, 1), logLossAfter: logLoss(z, y, temperature) };
}
