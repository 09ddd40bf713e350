import { sortedFloat64 } from './sort';

describe('sortedFloat64', () => {
  it('agrees with the native numeric sort on mixed-sign, tied and extreme values', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const xs: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const u = rand();
      xs.push(u < 0.1 ? Math.round(u * 100) : (u - 0.5) * Math.pow(10, Math.floor(rand() * 12) - 6));
    }
    xs.push(0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 1e300, -1e-300);
    const expected = Float64Array.from(xs).sort();
    const got = sortedFloat64(xs);
    expect(got).toHaveLength(xs.length);
    expect(Array.from(got)).toEqual(Array.from(expected));
  });

  it('handles small, empty and constant input and leaves its input alone', () => {
    expect(Array.from(sortedFloat64([3, -1, 2]))).toEqual([-1, 2, 3]);
    expect(sortedFloat64([])).toHaveLength(0);
    const same = new Array(10_000).fill(4.25);
    expect(sortedFloat64(same).every((x) => x === 4.25)).toBe(true);
    const input = Array.from({ length: 5000 }, (_, i) => 5000 - i);
    sortedFloat64(input);
    expect(input[0]).toBe(5000);
  });
});
