// Series smoothing and robust spike detection for training curves.

/**
 * TensorBoard's smoothing slider: an exponential moving average debiased like Adam's first moment
 * (Kingma & Ba 2015, §3): last = w·last + (1−w)·x, smoothed_t = last / (1 − w^t), so the first point equals the
 * raw value instead of being dragged towards 0. weight in [0, 1): 0 = raw, 0.6 TensorBoard's default, 0.99 heavy.
 * Non-finite values pass through unsmoothed and do not update the average. O(n).
 */
export function emaDebiased(values: ArrayLike<number>, weight = 0.6): Float64Array {
  const w = Math.min(Math.max(weight, 0), 0.999999);
  const out = new Float64Array(values.length);
  let last = 0;
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (!Number.isFinite(x)) {
      out[i] = x;
      continue;
    }
    last = last * w + (1 - w) * x;
    k++;
    out[i] = last / (1 - Math.pow(w, k));
  }
  return out;
}

/** Median of a small array (copies; O(m log m)). */
export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) {
    return Number.NaN;
  }
  const s = Float64Array.from(xs).sort();
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(xs: ArrayLike<number>, med = median(xs)): number {
  return median(Array.from(xs, (x) => Math.abs(x - med)));
}

/**
 * Modified z-score of each point against the `window` points before it (Iglewicz & Hoaglin 1993,
 * "How to Detect and Handle Outliers"): z = 0.6745·(x − median)/MAD. When MAD = 0 (flat history) it falls back to
 * the mean absolute deviation, z = (x − median)/(1.253314·MeanAD); if that is 0 too, any change is ±Infinity.
 * Points with fewer than `minHistory` predecessors get z = 0, and so do points before `from` (callers that judge
 * only the recent points need not score the whole series). O((n − from) · w log w), no allocation per point.
 */
export function robustZScores(values: ArrayLike<number>, window = 20, minHistory = 5, from = 0): Float64Array {
  const out = new Float64Array(values.length);
  const size = Math.max(0, Math.min(window, values.length));
  const sorted = new Float64Array(size);
  const deviations = new Float64Array(size);
  const middle = (s: Float64Array, n: number) => (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2);
  for (let i = Math.max(0, from); i < values.length; i++) {
    const start = Math.max(0, i - window);
    const n = i - start;
    if (n < minHistory) {
      continue;
    }
    for (let j = 0; j < n; j++) {
      sorted[j] = values[start + j];
    }
    const hist = sorted.subarray(0, n).sort();
    const med = middle(hist, n);
    const dev = values[i] - med;
    for (let j = 0; j < n; j++) {
      deviations[j] = Math.abs(hist[j] - med);
    }
    const m = middle(deviations.subarray(0, n).sort(), n);
    if (m > 0) {
      out[i] = (0.6745 * dev) / m;
      continue;
    }
    // Summed in time order, as the history was.
    let meanAd = 0;
    for (let j = start; j < i; j++) {
      meanAd += Math.abs(values[j] - med);
    }
    meanAd /= n;
    out[i] = meanAd > 0 ? dev / (1.253314 * meanAd) : dev === 0 ? 0 : dev > 0 ? Infinity : -Infinity;
  }
  return out;
}

/**
 * Indices whose |robust z| exceeds the threshold (3.5, Iglewicz & Hoaglin's recommended cut-off); with `from`,
 * only indices from there on.
 */
export function detectSpikes(
  values: ArrayLike<number>,
  opts: { window?: number; threshold?: number; minHistory?: number; from?: number } = {}
): number[] {
  const z = robustZScores(values, opts.window ?? 20, opts.minHistory ?? 5, opts.from ?? 0);
  const threshold = opts.threshold ?? 3.5;
  const out: number[] = [];
  for (let i = Math.max(0, opts.from ?? 0); i < z.length; i++) {
    if (Math.abs(z[i]) > threshold) {
      out.push(i);
    }
  }
  return out;
}

/** Least-squares slope of y against x (per unit of x); NaN with fewer than two distinct x. */
export function slope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = Math.min(x.length, y.length);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}
