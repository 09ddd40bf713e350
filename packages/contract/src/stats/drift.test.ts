import {
  categoricalPsi,
  chiSquare,
  driftHistogram,
  driftSummary,
  jsDivergence,
  ks2samp,
  psi,
  wasserstein1,
} from './drift';
import { severity } from '../thresholds';

// Deterministic samples shared with the scipy 1.17 cross-checks below (the same formulas were evaluated there).
const frac = (x: number) => x - Math.floor(x);
const A150 = Array.from({ length: 150 }, (_, i) => ((i * 37 + 11) % 101) / 101);
const B170 = Array.from({ length: 170 }, (_, j) => Math.pow(((j * 53 + 7) % 97) / 97, 1.3));
const B150 = B170.slice(0, 150);
const A20k = Array.from({ length: 20000 }, (_, i) => frac(i * 0.6180339887));
const B30k = Array.from({ length: 30000 }, (_, j) => Math.pow(frac(j * 0.4142135623), 1.05));

describe('psi', () => {
  it('matches a paper computation', () => {
    // Reference 1..10: deciles (type 7) 1.9, 2.8, ..., 9.1, one value per bin, shares 0.1 each.
    // Current [1,1,2,...,9]: shares 0.2 in bin 1, 0.1 in bins 2-9, 0 in bin 10 (floored to 1e-4).
    // PSI = (0.2−0.1)·ln 2 + (1e-4 − 0.1)·ln(1e-4/0.1) = 0.0693147 + 0.6900848 = 0.7593995
    const ref = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const cur = [1, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(psi(ref, cur)).toBeCloseTo(0.1 * Math.log(2) + (1e-4 - 0.1) * Math.log(1e-4 / 0.1), 12);
    expect(psi(ref, cur)).toBeCloseTo(0.7593994704263101, 12);
  });

  it('is 0 for identical samples and agrees with a numpy implementation', () => {
    expect(psi(A150, A150)).toBe(0);
    expect(psi(A150, B170)).toBeCloseTo(0.06442120331279792, 12);
    expect(psi(A20k, B30k)).toBeCloseTo(0.0021095749386379477, 12);
  });

  it('handles empty input, one value and all-identical values', () => {
    expect(psi([], [1, 2])).toBeNaN();
    expect(psi([5], [5])).toBe(0);
    // All reference deciles equal 5: one cut, bins (−∞,5] and (5,∞); current all above 5.
    // PSI = (1e-4 − 1)·ln(1e-4) + (1 − 1e-4)·ln(1/1e-4) = 2·0.9999·ln(1e4) = 18.4188
    expect(psi([5, 5, 5], [6, 7])).toBeCloseTo(2 * 0.9999 * Math.log(1e4), 10);
  });
});

describe('severity', () => {
  it('uses the PSI bands', () => {
    expect(severity(0)).toBe('none');
    expect(severity(0.0999)).toBe('none');
    expect(severity(0.1)).toBe('moderate');
    expect(severity(0.25)).toBe('moderate');
    expect(severity(0.2501)).toBe('major');
    expect(severity(Number.NaN)).toBe('none');
  });
});

describe('ks2samp', () => {
  it('disjoint samples of three (by hand)', () => {
    // F_a reaches 1 at x=3 while F_b is still 0: D = 1. Of the C(6,3) = 20 merge orders only "aaabbb" and
    // "bbbaaa" reach D = 1, so p = 2/20 = 0.1 (scipy: 0.09999999999999999).
    const r = ks2samp([1, 2, 3], [4, 5, 6]);
    expect(r.statistic).toBe(1);
    expect(r.pvalue).toBeCloseTo(0.1, 14);
  });

  it('unequal sizes (by hand, p from scipy)', () => {
    // a = 1,2,3,4; b = 2.5,5,6. At x = 4: F_a = 1, F_b = 1/3, so D = 2/3. Exact p: 14 of the C(7,3) = 35 merge
    // orders reach |F_a − F_b| >= 2/3, p = 0.4 (scipy 0.39999999999999997).
    const r = ks2samp([1, 2, 3, 4], [2.5, 5, 6]);
    expect(r.statistic).toBeCloseTo(2 / 3, 14);
    expect(r.pvalue).toBeCloseTo(0.4, 12);
  });

  it('handles ties the way scipy does', () => {
    // ECDFs over pooled values {1,2,3}: a: 1/2, 1, 1; b: 1/4, 1/2, 1 -> D = 1/2.
    expect(ks2samp([1, 2], [1, 2, 3, 3]).statistic).toBe(0.5);
  });

  it('matches scipy exact p-values for equal and unequal sizes', () => {
    const u = ks2samp(A150, B170);
    expect(u.statistic).toBeCloseTo(0.11843137254901961, 14);
    expect(u.pvalue).toBeCloseTo(0.19391414741443916, 10);
    const e = ks2samp(A150, B150);
    expect(e.statistic).toBeCloseTo(0.12, 14);
    expect(e.pvalue).toBeCloseTo(0.23078236357216822, 10);
    expect(ks2samp([0.1, 0.4, 0.7, 0.9, 1.3], [0.2, 0.5, 0.8, 1.5, 1.7, 2.0, 2.2]).pvalue).toBeCloseTo(
      0.23737373737373738,
      12
    );
  });

  it('keeps tiny exact p-values precise (no 1 − x cancellation)', () => {
    // scipy 1.17: 1.1939583768639837e-08 and 1.3237083274684349e-20 (method='auto' -> exact)
    const b = Array.from({ length: 170 }, (_, j) => Math.pow(((j * 53 + 7) % 97) / 97, 2.5));
    const r = ks2samp(A150, b);
    expect(r.statistic).toBeCloseTo(0.3392156862745098, 14);
    expect(r.pvalue / 1.1939583768639837e-8).toBeCloseTo(1, 9);
    const big = ks2samp(
      Array.from({ length: 1944 }, (_, i) => ((i * 37 + 11) % 1001) / 1001),
      Array.from({ length: 1298 }, (_, j) => Math.pow(((j * 53 + 7) % 997) / 997, 1.6))
    );
    expect(big.statistic).toBeCloseTo(0.17209286842055205, 14);
    expect(big.pvalue / 1.3237083274684349e-20).toBeCloseTo(1, 6);
  });

  it('is asymptotic above 10,000 samples, within 1% of scipy', () => {
    const r = ks2samp(A20k, B30k);
    expect(r.statistic).toBeCloseTo(0.01805000000000001, 12);
    expect(Math.abs(r.pvalue / 0.0007938875892424652 - 1)).toBeLessThan(0.01);
  });

  it('edge cases', () => {
    expect(ks2samp([], [1]).statistic).toBeNaN();
    expect(ks2samp([2], [2])).toEqual({ statistic: 0, pvalue: 1 });
    expect(ks2samp([3, 3, 3], [3, 3])).toEqual({ statistic: 0, pvalue: 1 });
    expect(ks2samp([1], [2])).toEqual({ statistic: 1, pvalue: 1 }); // both merge orders reach D = 1
  });
});

describe('wasserstein1', () => {
  it('small cases by hand', () => {
    expect(wasserstein1([0, 1, 3], [5, 6, 8])).toBeCloseTo(5, 14); // pure shift by 5
    expect(wasserstein1([1, 2, 3], [1, 1, 1])).toBeCloseTo(1, 14); // mean of |x − 1|
    // |F_a − F_b| over [0,1):0.25, [1,2):0.25, [2,3):0, [3,4):0.5, [4,6):0.25·2 -> 0.25+0.25+0+0.5+0.5 = 1.5
    expect(wasserstein1([0, 2, 4, 6], [1, 3])).toBeCloseTo(1.5, 14);
  });

  it('matches scipy.stats.wasserstein_distance', () => {
    expect(wasserstein1(A150, B170)).toBeCloseTo(0.07047378969565828, 12);
    expect(wasserstein1(A20k, B30k)).toBeCloseTo(0.012170348972967239, 12);
  });

  it('edge cases', () => {
    expect(wasserstein1([], [1])).toBeNaN();
    expect(wasserstein1([4], [4])).toBe(0);
    expect(wasserstein1([4], [7])).toBe(3);
  });
});

describe('jsDivergence and driftHistogram', () => {
  it('matches scipy jensenshannon(base=2)² on numpy histograms', () => {
    expect(jsDivergence(A150, B170)).toBeCloseTo(0.02214354143995331, 12);
    expect(jsDivergence(A20k, B30k)).toBeCloseTo(0.00040301373575555774, 12);
  });

  it('is 0 for identical and 1 for disjoint distributions (by hand)', () => {
    expect(jsDivergence([1, 2, 3], [1, 2, 3])).toBe(0);
    // Two bins over [0, 1]: P = (1, 0), Q = (0, 1), M = (½, ½): JS = ½·log2(2) + ½·log2(2) = 1 bit.
    expect(jsDivergence([0, 0], [1, 1], 2)).toBe(1);
    expect(jsDivergence([], [1])).toBeNaN();
    expect(jsDivergence([5, 5], [5])).toBe(0);
  });

  it('builds shared bins holding shares', () => {
    // Pooled range [0, 4], two bins [0,2), [2,4]; ref 0,1,2,3 -> ½,½; cur 4,4,4,1 -> ¼,¾.
    expect(driftHistogram([0, 1, 2, 3], [4, 4, 4, 1], 2)).toEqual([
      { lower: 0, upper: 2, reference: 0.5, current: 0.25 },
      { lower: 2, upper: 4, reference: 0.5, current: 0.75 },
    ]);
    expect(driftHistogram([], [])).toEqual([]);
    expect(driftHistogram([7, 7], [7])).toEqual([{ lower: 7, upper: 7, reference: 1, current: 1 }]);
  });
});

describe('driftSummary', () => {
  it('combines the figures', () => {
    const s = driftSummary(A150, B170);
    expect(s.psi).toBeCloseTo(psi(A150, B170), 14);
    expect(s.ks_statistic).toBeCloseTo(0.11843137254901961, 14);
    expect(s.ks_pvalue).toBeCloseTo(0.19391414741443916, 10);
    expect(s.wasserstein).toBeCloseTo(0.07047378969565828, 12);
    expect(s.js_divergence).toBeCloseTo(0.02214354143995331, 12);
    expect(s.reference_count).toBe(150);
    expect(s.current_count).toBe(170);
    expect(s.severity).toBe('none');
  });

  it('reports a shifted distribution as major drift', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => frac(i * 0.618));
    const cur = ref.map((x) => x + 0.5);
    const s = driftSummary(ref, cur);
    expect(s.severity).toBe('major');
    expect(s.wasserstein).toBeCloseTo(0.5, 12);
    expect(s.ks_pvalue).toBeLessThan(1e-10);
  });
});

describe('chiSquare', () => {
  it('matches a hand computation (= scipy chi2_contingency(correction=False))', () => {
    // Counts ref a:30 b:20 c:50, cur a:20 b:30 c:50. Expected 25,25,50 each row.
    // χ² = 4·(5²/25) + 0 = 4, dof 2, p = e^(−4/2) = 0.1353352832366127 (χ²(2) tail is exponential).
    const ref = [...Array(30).fill('a'), ...Array(20).fill('b'), ...Array(50).fill('c')];
    const cur = [...Array(20).fill('a'), ...Array(30).fill('b'), ...Array(50).fill('c')];
    const r = chiSquare(ref, cur);
    expect(r.statistic).toBeCloseTo(4, 12);
    expect(r.dof).toBe(2);
    expect(r.pvalue).toBeCloseTo(Math.exp(-2), 13);
    expect(r.categories).toEqual([
      { category: 'c', reference: 0.5, current: 0.5 },
      { category: 'a', reference: 0.3, current: 0.2 },
      { category: 'b', reference: 0.2, current: 0.3 },
    ]);
    // PSI over shares: (0.2−0.3)ln(2/3) + (0.3−0.2)ln(3/2) = 0.2·ln 1.5 = 0.0810930
    expect(categoricalPsi(r.categories)).toBeCloseTo(0.2 * Math.log(1.5), 12);
  });

  it('edge cases: one category, empty side, new category', () => {
    expect(chiSquare(['x', 'x'], ['x'])).toMatchObject({ statistic: 0, dof: 0, pvalue: 1 });
    expect(chiSquare([], ['x']).pvalue).toBeNaN();
    const r = chiSquare(['a', 'a'], ['b', 'b']);
    // 2×2 table [[2,0],[0,2]]: expected 1 everywhere, χ² = 4·1 = 4, dof 1, p = 0.0455002638963584
    expect(r.statistic).toBeCloseTo(4, 12);
    expect(r.pvalue).toBeCloseTo(0.04550026389635842, 12);
  });
});
