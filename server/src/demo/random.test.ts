import { createRng, mixSeed } from './random';

const N = 200_000;
const moments = (draw: () => number) => {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < N; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / N;
  return { mean, variance: s2 / N - mean * mean };
};

describe('seeded random numbers', () => {
  it('repeats a stream for a seed and differs between seeds and forks', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
    const f1 = createRng(42).fork();
    const f2 = createRng(42).fork();
    expect(f1.next()).toBe(f2.next());
    const parent = createRng(42);
    expect(parent.fork().next()).not.toBe(parent.fork().next());
    expect(mixSeed(1, 0)).not.toBe(mixSeed(0, 1));
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = createRng(1);
    const m = moments(() => r.next());
    expect(m.mean).toBeCloseTo(0.5, 2);
    expect(m.variance).toBeCloseTo(1 / 12, 2);
    const seen = new Set(Array.from({ length: 10_000 }, () => r.int(2, 4)));
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });

  it('draws normals, log-normals, gammas and betas with their textbook moments', () => {
    const r = createRng(2);
    const normal = moments(() => r.normal(3, 2));
    expect(normal.mean).toBeCloseTo(3, 1);
    expect(normal.variance).toBeCloseTo(4, 1);
    // Log-normal: E = exp(mu + sigma^2 / 2).
    expect(moments(() => r.lognormal(0, 0.5)).mean).toBeCloseTo(Math.exp(0.125), 2);
    // Gamma(k, 1): mean k, variance k (also for k < 1, the boosted branch).
    for (const k of [0.5, 2.5]) {
      const g = moments(() => r.gamma(k));
      expect(g.mean).toBeCloseTo(k, 1);
      expect(g.variance).toBeCloseTo(k, 1);
    }
    // Beta(a, b): mean a / (a + b), variance ab / ((a + b)^2 (a + b + 1)).
    const beta = moments(() => r.beta(1.6, 1.4));
    expect(beta.mean).toBeCloseTo(1.6 / 3, 2);
    expect(beta.variance).toBeCloseTo((1.6 * 1.4) / (9 * 4), 2);
    expect(moments(() => r.exponential(5)).mean).toBeCloseTo(5, 1);
  });

  it('picks by weight', () => {
    const r = createRng(3);
    const counts = [0, 0, 0];
    for (let i = 0; i < N; i++) {
      counts[r.weighted([1, 2, 7])]++;
    }
    expect(counts[0] / N).toBeCloseTo(0.1, 2);
    expect(counts[2] / N).toBeCloseTo(0.7, 2);
  });
});
