import { DEFAULT_CONFIG } from '../config';
import { SqliteStore } from '../store/sqlite';
import { runQuery } from './index';
import { AnalyticsPool, INLINE_RECORDS } from './pool';
import type { QueryContext } from './types';

// Small targets are answered on the main thread, larger ones in a worker: the same frames either way.
describe('AnalyticsPool', () => {
  const now = Date.UTC(2026, 0, 1);
  let pool: AnalyticsPool;
  beforeAll(() => (pool = new AnalyticsPool(60_000)));
  afterAll(() => pool.close());

  const annotations = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      kind: 'annotation' as const,
      dataset: 'prefs',
      item: `item-${Math.floor(i / 3)}`,
      annotator: `a${i % 3}`,
      label: (i * 7919) % 5 < 3 ? 'chosen' : 'rejected',
      ts: now - n + i,
    }));

  it.each([
    ['inline', INLINE_RECORDS],
    ['worker', INLINE_RECORDS + 1],
  ] as const)('answers an agreement %s (%d annotations) with the frames runQuery gives', async (where, n) => {
    const store = new SqliteStore(':memory:');
    try {
      await store.insert(annotations(n));
      const ctx: QueryContext = {
        store,
        range: { from: now - 2 * n, to: now },
        maxDataPoints: 1000,
        refId: 'A',
        now,
        status: DEFAULT_CONFIG.status,
      };
      const target = { type: 'agreement', dataset: 'prefs' };
      const before = { ...pool.answered };
      const frames = await pool.run(target, ctx);
      expect(pool.answered[where]).toBe(before[where] + 1);
      expect(pool.answered.inline + pool.answered.worker).toBe(before.inline + before.worker + 1);
      expect(frames).toEqual(await runQuery(target, ctx));
      // every annotation was read: the summary counts all items
      expect(frames[0].data.values[3]).toEqual([Math.ceil(n / 3)]);
    } finally {
      await store.close();
    }
  });
});
