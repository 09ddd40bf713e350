import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { collectWhenIdle } from './memory';

const MB = 1024 * 1024;
const youngGeneration = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_size;

// Issue 12: what a burst leaves committed (its garbage, a young generation grown to its peak) is given back once
// the thread goes quiet, without waiting for something to allocate.
describe('collectWhenIdle', () => {
  it('gives back the garbage and the grown young generation of a burst within 10 s of quiet', async () => {
    const stop = collectWhenIdle();
    try {
      let made = 0;
      for (let r = 0; r < 20; r++) {
        const garbage = Array.from({ length: 200_000 }, (_, i) => ({ i, s: `x${i}` }));
        made += garbage.length;
      }
      expect(made).toBe(4_000_000);
      const peak = getHeapStatistics().total_heap_size;
      expect(youngGeneration()).toBeGreaterThan(8 * MB);
      await new Promise((r) => setTimeout(r, 10_000));
      expect(getHeapStatistics().total_heap_size).toBeLessThan(peak - 8 * MB);
      expect(youngGeneration()).toBeLessThanOrEqual(4 * MB);
    } finally {
      stop();
    }
  }, 20_000);
});
