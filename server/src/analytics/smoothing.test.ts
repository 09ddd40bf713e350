import { detectSpikes, emaDebiased, mad, median, robustZScores, slope } from './smoothing';

describe('emaDebiased', () => {
  it('matches a hand computation (w = 0.5)', () => {
    // t1: last = 0.5·1 = 0.5, /(1−0.5) = 1
    // t2: last = 0.25 + 1.5 = 1.75, /(1−0.25) = 2.3333
    // t3: last = 0.875 + 2.5 = 3.375, /(1−0.125) = 3.857142857
    const s = emaDebiased([1, 3, 5], 0.5);
    expect(s[0]).toBeCloseTo(1, 14);
    expect(s[1]).toBeCloseTo(7 / 3, 14);
    expect(s[2]).toBeCloseTo(3.375 / 0.875, 14);
  });

  it('keeps constants constant, passes weight 0 through, skips non-finite values', () => {
    expect(Array.from(emaDebiased([4, 4, 4], 0.9))).toEqual([4, 4, expect.closeTo(4, 12)]);
    expect(Array.from(emaDebiased([1, 5, 2], 0))).toEqual([1, 5, 2]);
    const s = emaDebiased([2, Number.NaN, 2], 0.6);
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo(2, 12);
    expect(emaDebiased([], 0.6)).toHaveLength(0);
  });
});

describe('robust statistics', () => {
  it('median and MAD', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    expect(mad([1, 2, 3, 4, 5, 6])).toBe(1.5); // |x − 3.5| = 2.5,1.5,.5,.5,1.5,2.5
  });

  it('modified z-score against the trailing window (hand-worked)', () => {
    // History 1..6: median 3.5, MAD 1.5; x = 20: z = 0.6745·16.5/1.5 = 7.4195
    const z = robustZScores([1, 2, 3, 4, 5, 6, 20], 6);
    expect(z[6]).toBeCloseTo((0.6745 * 16.5) / 1.5, 12);
    expect(z[0]).toBe(0); // too little history
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // History 10,10,11,9,10,10: MAD 0, MeanAD = 2/6; x = 50: z = 40/(1.253314/3) = 95.745
    const z = robustZScores([10, 10, 11, 9, 10, 10, 50], 6);
    expect(z[6]).toBeCloseTo(40 / (1.253314 / 3), 9);
    expect(robustZScores([5, 5, 5, 5, 5, 5, 6], 6)[6]).toBe(Infinity);
    expect(robustZScores([5, 5, 5, 5, 5, 5, 5], 6)[6]).toBe(0);
  });

  it('detects a spike in a noisy series and nothing in a clean one', () => {
    const noisy = Array.from({ length: 60 }, (_, i) => 1 + 0.05 * Math.sin(i * 1.7));
    expect(detectSpikes(noisy)).toEqual([]);
    noisy[40] = 3;
    expect(detectSpikes(noisy)).toEqual([40]);
    expect(detectSpikes([])).toEqual([]);
  });

  it('scores exactly as the definition does, every point or only those from `from` on', () => {
    // The definition, point by point: median and MAD of the `window` values before each point.
    const byDefinition = (xs: number[], w: number, min: number) =>
      xs.map((x, i) => {
        const hist = xs.slice(Math.max(0, i - w), i);
        if (hist.length < min) {
          return 0;
        }
        const med = median(hist);
        const m = mad(hist, med);
        const meanAd = hist.reduce((a, h) => a + Math.abs(h - med), 0) / hist.length;
        const dev = x - med;
        return m > 0
          ? (0.6745 * dev) / m
          : meanAd > 0
            ? dev / (1.253314 * meanAd)
            : dev === 0
              ? 0
              : dev > 0
                ? Infinity
                : -Infinity;
      });
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    // Noise, plateaus (MAD 0) and spikes.
    const xs = Array.from({ length: 300 }, (_, i) => (i % 50 < 10 ? 2 : rand()) + (i % 37 === 0 ? 10 : 0));
    for (const [w, min] of [
      [20, 5],
      [7, 0],
      [400, 5],
    ]) {
      const want = byDefinition(xs, w, min);
      expect(Array.from(robustZScores(xs, w, min))).toEqual(want);
      expect(Array.from(robustZScores(xs, w, min, 250)).slice(250)).toEqual(want.slice(250));
      expect(
        Array.from(robustZScores(xs, w, min, 250))
          .slice(0, 250)
          .every((z) => z === 0)
      ).toBe(true);
    }
    const spikes = detectSpikes(xs);
    expect(spikes.length).toBeGreaterThan(3);
    expect(detectSpikes(xs, { from: 250 })).toEqual(spikes.filter((i) => i >= 250));
  });

  it('slope', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 14);
    expect(slope([1], [1])).toBeNaN();
  });
});
