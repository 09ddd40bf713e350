// A small seeded PRNG for the demo pipeline: reproducible across runs and platforms, no dependencies.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
  bernoulli(p: number): boolean;
  normal(mean?: number, sd?: number): number;
  /** exp(N(mu, sigma)): heavy right tail, the usual shape of latencies and lengths. */
  lognormal(mu: number, sigma: number): number;
  /** Beta(a, b) on [0, 1], via two gamma draws. */
  beta(a: number, b: number): number;
  gamma(shape: number): number;
  /** Exponential with the given mean (Poisson-process inter-arrival times). */
  exponential(mean: number): number;
  pick<T>(items: readonly T[]): T;
  /** Index drawn with probability proportional to weights. */
  weighted(weights: readonly number[]): number;
  /** A new independent stream derived from this one (so one phase's draws never shift another's). */
  fork(): Rng;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, good enough for a simulation.
 * Written from the published recurrence: add the golden-ratio constant, then two xorshift-multiply rounds.
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a seed and a stream number into a well-spread 32-bit seed (splitmix32-style finaliser). */
export function mixSeed(seed: number, stream: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream | 0, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function createRng(seed: number): Rng {
  const u = mulberry32(mixSeed(seed, 0));
  let spare: number | null = null;
  let forks = 0;

  const rng: Rng = {
    next: u,
    uniform: (lo, hi) => lo + (hi - lo) * u(),
    int: (lo, hi) => lo + Math.floor(u() * (hi - lo + 1)),
    bernoulli: (p) => u() < p,
    normal(mean = 0, sd = 1) {
      // Marsaglia polar method; keeps the second deviate for the next call.
      if (spare !== null) {
        const z = spare;
        spare = null;
        return mean + sd * z;
      }
      let x: number;
      let y: number;
      let s: number;
      do {
        x = 2 * u() - 1;
        y = 2 * u() - 1;
        s = x * x + y * y;
      } while (s >= 1 || s === 0);
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      spare = y * f;
      return mean + sd * x * f;
    },
    lognormal: (mu, sigma) => Math.exp(rng.normal(mu, sigma)),
    gamma(shape) {
      // Marsaglia & Tsang (2000), "A simple method for generating gamma variables"; shape < 1 via the boost
      // Gamma(a) = Gamma(a + 1) * U^(1/a).
      if (shape < 1) {
        return rng.gamma(shape + 1) * Math.pow(u() || Number.MIN_VALUE, 1 / shape);
      }
      const d = shape - 1 / 3;
      const c = 1 / Math.sqrt(9 * d);
      for (;;) {
        let x: number;
        let v: number;
        do {
          x = rng.normal();
          v = 1 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const w = u();
        if (w < 1 - 0.0331 * x * x * x * x || Math.log(w) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
          return d * v;
        }
      }
    },
    beta(a, b) {
      const x = rng.gamma(a);
      const y = rng.gamma(b);
      return x / (x + y);
    },
    exponential: (mean) => -mean * Math.log(1 - u()),
    pick: (items) => items[Math.floor(u() * items.length)],
    weighted(weights) {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = u() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) {
          return i;
        }
      }
      return weights.length - 1;
    },
    fork: () => createRng(mixSeed(seed, ++forks)),
  };
  return rng;
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
