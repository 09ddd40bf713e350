import { calibration, fitTemperature } from './calibration';

describe('calibration', () => {
  // Ten predictions, worked by hand (10 uniform bins):
  //   bin [0.1,0.2): 0.10, 0.15  correct 0,0   conf 0.125  acc 0    gap 0.125  n 2
  //   bin [0.3,0.4): 0.30, 0.35  correct 1,0   conf 0.325  acc 0.5  gap 0.175  n 2   (0.3 sits on its lower edge)
  //   bin [0.6,0.7): 0.60, 0.62, 0.68  1,0,1   conf 0.6333 acc 2/3  gap 1/30   n 3
  //   bin [0.9,1.0]: 0.90, 0.95, 1.00  1,1,1   conf 0.95   acc 1    gap 0.05   n 3   (1.0 in the last bin)
  //   ECE = 0.2·0.125 + 0.2·0.175 + 0.3·(1/30) + 0.3·0.05 = 0.025 + 0.035 + 0.01 + 0.015 = 0.085
  //   MCE = 0.175
  //   Brier = (0.01 + 0.0225 + 0.49 + 0.1225 + 0.16 + 0.3844 + 0.1024 + 0.01 + 0.0025 + 0) / 10 = 0.13043
  //   accuracy = 6/10
  const conf = [0.1, 0.15, 0.3, 0.35, 0.6, 0.62, 0.68, 0.9, 0.95, 1.0];
  const correct = [0, 0, 1, 0, 1, 0, 1, 1, 1, 1];

  it('computes ECE, MCE, Brier and bins on a hand-worked case', () => {
    const r = calibration(conf, correct);
    expect(r.ece).toBeCloseTo(0.085, 12);
    expect(r.mce).toBeCloseTo(0.175, 12);
    expect(r.brier).toBeCloseTo(0.13043, 12);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    expect(r.count).toBe(10);
    expect(r.bins).toHaveLength(10);
    expect(r.bins.map((b) => b.count)).toEqual([0, 2, 0, 2, 0, 0, 3, 0, 0, 3]);
    expect(r.bins[3]).toEqual({
      lower: 0.3,
      upper: 0.4,
      confidence: expect.closeTo(0.325, 12),
      accuracy: 0.5,
      count: 2,
    });
    expect(r.bins[0]).toEqual({ lower: 0, upper: 0.1, confidence: null, accuracy: null, count: 0 });
    expect(r.bins[9].upper).toBe(1);
  });

  it('accepts booleans for correct', () => {
    const r = calibration(
      conf,
      correct.map((c) => c === 1)
    );
    expect(r.ece).toBeCloseTo(0.085, 12);
  });

  it('equal-mass bins cut at the median (hand-worked)', () => {
    // Sorted confidences: median (type 7) = (0.60 + 0.62)/2 = 0.61.
    // Low bin: 0.1,0.15,0.3,0.35,0.6 conf 0.3 acc 0.4 gap 0.1; high bin: 0.62..1.0 conf 0.83 acc 0.8 gap 0.03.
    // ECE = 0.5·0.1 + 0.5·0.03 = 0.065
    const r = calibration(conf, correct, { bins: 2, binning: 'quantile' });
    expect(r.bins.map((b) => [b.lower, b.upper, b.count])).toEqual([
      [0.1, 0.61, 5],
      [0.61, 1, 5],
    ]);
    expect(r.ece).toBeCloseTo(0.065, 12);
    expect(r.mce).toBeCloseTo(0.1, 12);
  });

  it('places confidence exactly 0 and 1 in the first and last bins', () => {
    const r = calibration([0, 1], [false, true]);
    expect(r.bins[0].count).toBe(1);
    expect(r.bins[9].count).toBe(1);
    expect(r.ece).toBe(0);
    expect(r.brier).toBe(0);
    const wrong = calibration([0, 1], [1, 0]);
    expect(wrong.ece).toBe(1);
    expect(wrong.brier).toBe(1);
  });

  it('handles empty input, one item and all-identical values', () => {
    const empty = calibration([], []);
    expect(empty).toMatchObject({ ece: null, mce: null, brier: null, accuracy: null, count: 0 });
    expect(empty.bins).toHaveLength(10);
    expect(calibration([], [], { binning: 'quantile' }).count).toBe(0);

    const one = calibration([0.7], [1]);
    expect(one.ece).toBeCloseTo(0.3, 12);
    expect(one.brier).toBeCloseTo(0.09, 12);

    const same = calibration([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0], { binning: 'quantile', bins: 4 });
    expect(same.ece).toBe(0);
    expect(same.bins.reduce((s, b) => s + b.count, 0)).toBe(4);
  });

  it('is exact on bin edges that k·(1/B) would misplace', () => {
    // 3·0.1 = 0.30000000000000004 in floating point; 0.3 must still land in [0.3, 0.4).
    const r = calibration([0.3, 0.7, 0.29], [1, 1, 1], { bins: 10 });
    expect(r.bins[3].count).toBe(1);
    expect(r.bins[7].count).toBe(1);
    expect(r.bins[2].count).toBe(1);
    const hundred = calibration([0.29], [1], { bins: 100 }); // 0.29·100 = 28.999999999999996
    expect(hundred.bins[29].count).toBe(1);
  });
});

describe('fitTemperature', () => {
  // Predictions with logits z whose true probability of being correct is σ(z/2): the fitted temperature is 2.
  function overconfident(): { conf: number[]; correct: number[] } {
    const conf: number[] = [];
    const correct: number[] = [];
    for (let z = -4; z <= 4; z += 0.5) {
      const p = 1 / (1 + Math.exp(-z));
      const truth = 1 / (1 + Math.exp(-z / 2));
      const n = 1000;
      const k = Math.round(truth * n);
      for (let i = 0; i < n; i++) {
        conf.push(p);
        correct.push(i < k ? 1 : 0);
      }
    }
    return { conf, correct };
  }

  it('recovers the temperature of over-confident predictions and lowers log loss', () => {
    const { conf, correct } = overconfident();
    const t = fitTemperature(conf, correct);
    expect(t.temperature).toBeCloseTo(2, 1);
    expect(Math.abs(t.temperature - 2)).toBeLessThan(0.02);
    expect(t.logLossAfter).toBeLessThan(t.logLossBefore);
    // A true minimum: nudging T either way does not lower the loss (the fit, not the search range, stopped it).
    const around = (T: number) => {
      const p = conf.map((c) => 1 / (1 + Math.exp(-Math.log(c / (1 - c)) / T)));
      return -p.reduce((s, q, i) => s + (correct[i] ? Math.log(q) : Math.log(1 - q)), 0) / p.length;
    };
    expect(around(t.temperature)).toBeCloseTo(t.logLossAfter, 12);
    expect(around(t.temperature * 1.001)).toBeGreaterThanOrEqual(t.logLossAfter);
    expect(around(t.temperature / 1.001)).toBeGreaterThanOrEqual(t.logLossAfter);
  });

  it('leaves calibrated predictions near T = 1', () => {
    const conf: number[] = [];
    const correct: number[] = [];
    for (let p = 0.05; p < 1; p += 0.1) {
      for (let i = 0; i < 100; i++) {
        conf.push(p);
        correct.push(i < Math.round(p * 100) ? 1 : 0);
      }
    }
    expect(Math.abs(fitTemperature(conf, correct).temperature - 1)).toBeLessThan(0.02);
  });

  it('survives confidences of exactly 0 and 1 and empty input', () => {
    const t = fitTemperature([0, 1, 0.8, 0.3], [0, 1, 1, 0]);
    expect(Number.isFinite(t.temperature)).toBe(true);
    expect(Number.isFinite(t.logLossAfter)).toBe(true);
    expect(fitTemperature([], []).temperature).toBe(1);
  });
});
