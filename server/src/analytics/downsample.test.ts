import { downsampleIndices } from './downsample';

describe('downsampleIndices', () => {
  it('returns every index when the series already fits', () => {
    expect(downsampleIndices([3, 1, 2], 10)).toEqual([0, 1, 2]);
    expect(downsampleIndices([], 10)).toEqual([]);
  });

  it('keeps first, last and a one-point spike, within maxPoints', () => {
    const values = Array.from({ length: 100_000 }, (_, i) => Math.sin(i / 1000));
    values[54_321] = 50; // a loss spike
    values[77_777] = -50; // and a dip
    const idx = downsampleIndices(values, 1000);
    expect(idx.length).toBeLessThanOrEqual(1000);
    expect(idx.length).toBeGreaterThan(900);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(99_999);
    expect(idx).toContain(54_321);
    expect(idx).toContain(77_777);
    for (let i = 1; i < idx.length; i++) {
      expect(idx[i]).toBeGreaterThan(idx[i - 1]);
    }
  });

  it('keeps the global minimum and maximum', () => {
    const values = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5003) / 5003);
    const idx = downsampleIndices(values, 50);
    const kept = idx.map((i) => values[i]);
    expect(Math.max(...kept)).toBe(Math.max(...values));
    expect(Math.min(...kept)).toBe(Math.min(...values));
    expect(idx.length).toBeLessThanOrEqual(50);
  });

  it('never goes below first+last', () => {
    expect(downsampleIndices([1, 9, 2, 8], 1)).toEqual([0, 3]);
  });
});
