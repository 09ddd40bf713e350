// Special functions the drift tests need: regularised incomplete gamma (chi-square p-values) and the
// Kolmogorov distribution (KS p-values). Small, double precision, no dependencies.

/**
 * ln Γ(x) for x > 0 by the Lanczos approximation (g = 7, 9 terms; Lanczos 1964, coefficients as published by
 * Godfrey and used in Numerical Recipes 3rd ed. §6.1). Relative error ~1e-15.
 */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection formula: Γ(x)Γ(1-x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let s = LANCZOS[0];
  for (let i = 1; i < 9; i++) {
    s += LANCZOS[i] / (z + i);
  }
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

const EPS = 1e-15;
const MAX_ITER = 1000;

/** Series for P(a, x), converges fast for x < a + 1 (Numerical Recipes §6.2, eq. 6.2.5). */
function gammaPSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITER; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) {
      break;
    }
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

/** Continued fraction for Q(a, x), for x >= a + 1, by modified Lentz (Numerical Recipes §6.2, eq. 6.2.7). */
function gammaQContinuedFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) {
      d = tiny;
    }
    c = b + an / c;
    if (Math.abs(c) < tiny) {
      c = tiny;
    }
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) {
      break;
    }
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/** Regularised lower incomplete gamma P(a, x) = γ(a, x) / Γ(a). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) {
    return 0;
  }
  if (!Number.isFinite(x)) {
    return 1;
  }
  return x < a + 1 ? gammaPSeries(a, x) : 1 - gammaQContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed directly in the tail (no cancellation). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) {
    return 1;
  }
  if (!Number.isFinite(x)) {
    return 0;
  }
  return x < a + 1 ? 1 - gammaPSeries(a, x) : gammaQContinuedFraction(a, x);
}

/** Chi-square survival function: P(X >= x) for X ~ χ²(dof) is Q(dof/2, x/2) (Abramowitz & Stegun 26.4.19). */
export function chiSquareSf(x: number, dof: number): number {
  if (dof <= 0) {
    return Number.NaN;
  }
  return gammaQ(dof / 2, x / 2);
}

/**
 * Survival function of the Kolmogorov distribution, P(K > λ) where K = sup|B(t)| of a Brownian bridge
 * (Kolmogorov 1933). For λ >= 1 the alternating series 2 Σ (-1)^(k-1) exp(-2k²λ²) converges in a few terms;
 * for small λ the dual (Jacobi theta) form P(K <= λ) = √(2π)/λ Σ exp(-(2k-1)²π²/(8λ²)) does (Feller 1948;
 * Marsaglia, Tsang & Wang 2003). Same quantity as scipy.special.kolmogorov / scipy.stats.kstwobign.sf.
 */
export function kolmogorovSf(lambda: number): number {
  if (!(lambda > 0)) {
    return 1;
  }
  if (lambda < 1) {
    const f = (-Math.PI * Math.PI) / (8 * lambda * lambda);
    let cdf = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp(f * (2 * k - 1) * (2 * k - 1));
      cdf += term;
      if (term < 1e-17 * cdf) {
        break;
      }
    }
    cdf *= Math.sqrt(2 * Math.PI) / lambda;
    return Math.min(1, Math.max(0, 1 - cdf));
  }
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17) {
      break;
    }
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
