import { chiSquareSf, gammaP, gammaQ, kolmogorovSf, logGamma } from './special';

// Reference values: closed forms where they exist, else scipy.special 1.17 (gammainc, gammaincc, kolmogorov).
describe('special functions', () => {
  it('logGamma matches closed forms', () => {
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13); // Γ(1/2) = √π
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12); // Γ(10) = 9!
    expect(logGamma(1)).toBeCloseTo(0, 14);
  });

  it('regularised incomplete gamma matches scipy in both branches', () => {
    expect(gammaP(2.5, 1.7)).toBeCloseTo(0.36143007689620493, 13); // series branch (x < a+1)
    expect(gammaQ(2.5, 1.7)).toBeCloseTo(0.6385699231037951, 13);
    expect(gammaQ(10, 30) / 7.121750862815593e-6).toBeCloseTo(1, 10); // continued-fraction tail
    expect(gammaP(3, 0)).toBe(0);
    expect(gammaQ(3, 0)).toBe(1);
  });

  it('chi-square survival function', () => {
    // χ²(1): P(X >= 3) = erfc(√1.5) = 0.0832645166635504
    expect(chiSquareSf(3, 1)).toBeCloseTo(0.08326451666355042, 13);
    // χ²(2) is exponential with mean 2: P(X >= x) = e^(-x/2)
    expect(chiSquareSf(4, 2)).toBeCloseTo(Math.exp(-2), 14);
    expect(chiSquareSf(10.5, 4)).toBeCloseTo(0.03279698999488366, 13);
  });

  it('Kolmogorov survival function across both series', () => {
    expect(kolmogorovSf(1)).toBeCloseTo(0.26999967167735456, 13);
    expect(kolmogorovSf(0.5)).toBeCloseTo(0.9639452436648751, 13);
    expect(kolmogorovSf(0.3)).toBeCloseTo(0.9999906941986655, 13);
    expect(kolmogorovSf(2)).toBeCloseTo(0.0006709252557796953, 15);
    expect(kolmogorovSf(0)).toBe(1);
  });
});
