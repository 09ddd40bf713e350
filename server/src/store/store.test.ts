import { hasPostgres, startCluster } from './pgCluster';
import { openStore } from './open';
import type { Store } from './types';
import { tempDb } from '../http/testing';
import type { RlhfRecord } from '../records/types';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const metric = (run: string, name: string, value: number, step: number | null, ts: number, extra = {}): RlhfRecord => ({
  kind: 'metric',
  run,
  name,
  value,
  step,
  ts,
  phase: 'training',
  labels: {},
  ...extra,
});

/** One contract, both stores: what the query layer relies on. */
function contract(name: string, open: () => Promise<{ store: Store; done(): Promise<void> | void }>) {
  describe(`${name} store`, () => {
    let store: Store;
    let done: () => Promise<void> | void;
    beforeAll(async () => {
      ({ store, done } = await open());
    });
    afterAll(async () => {
      await store.close();
      await done();
    });

    it('stores a mixed batch and reads every kind back', async () => {
      await store.insert([
        metric('ppo', 'objective/kl', 0.1, 1, T0 + 1000),
        metric('ppo', 'objective/kl', 0.2, 2, T0 + 2000),
        metric('ppo', 'objective/kl', 0.15, 0, T0), // out of order
        metric('serve', 'error_rate', 0.01, null, T0, { phase: 'deployment', labels: { version: 'v2' } }),
        { kind: 'annotation', dataset: 'prefs', item: 'i1', annotator: 'a', label: 'A', ts: T0 },
        { kind: 'annotation', dataset: 'prefs', item: 'i1', annotator: 'b', label: 3, ts: T0 + 1 },
        { kind: 'prediction', model: 'rm', confidence: 0.75, correct: true, item: null, ts: T0 },
        { kind: 'sample', feature: 'category', source: 'training', value: 'math', ts: T0 },
        { kind: 'sample', feature: 'category', source: 'training', value: 12.5, ts: T0 + 1 },
        { kind: 'event', title: 'ckpt', text: '', tags: ['training', 'checkpoint'], phase: 'training', ts: T0 },
      ]);
      const range = { from: T0, to: T0 + 10_000 };
      const [kl] = await store.series({ runs: 'pp*', metrics: 'objective/kl', range });
      expect(kl.points).toEqual([
        { ts: T0, step: 0, value: 0.15 },
        { ts: T0 + 1000, step: 1, value: 0.1 },
        { ts: T0 + 2000, step: 2, value: 0.2 },
      ]);
      expect(
        (await store.series({ runs: '*', metrics: '*', range: { from: T0 + 500, to: T0 + 1500 } }))[0].points
      ).toEqual([{ ts: T0 + 1000, step: 1, value: 0.1 }]);
      expect(await store.latest({ phase: 'deployment' })).toEqual([
        {
          run: 'serve',
          name: 'error_rate',
          phase: 'deployment',
          labels: { version: 'v2' },
          ts: T0,
          step: null,
          value: 0.01,
        },
      ]);
      expect((await store.annotations({ dataset: 'prefs', range })).map((a) => a.label)).toEqual(['A', 3]);
      expect(await store.predictions({ model: 'rm', range })).toEqual([
        { kind: 'prediction', model: 'rm', confidence: 0.75, correct: true, item: null, ts: T0 },
      ]);
      expect((await store.samples({ feature: 'category', source: 'training', range })).map((s) => s.value)).toEqual([
        'math',
        12.5,
      ]);
      expect((await store.events({ tags: ['checkpoint'], range })).map((e) => e.tags)).toEqual([
        ['training', 'checkpoint'],
      ]);
      expect(await store.events({ tags: ['rollout'], range })).toEqual([]);
      expect(await store.catalog('runs')).toEqual(['ppo', 'serve']);
      expect(await store.catalog('metrics', { run: 'serve' })).toEqual(['error_rate']);
      expect(await store.counts()).toEqual({ metric: 4, annotation: 2, prediction: 1, sample: 2, event: 1 });
    });

    it('stores nothing of a batch that fails half way', async () => {
      const before = await store.counts();
      // Validation never lets this through; here it stands for any failure inside the transaction
      // (a NOT NULL column in both stores).
      const bad = {
        kind: 'prediction',
        model: null,
        confidence: 0.5,
        correct: true,
        item: null,
        ts: T0,
      } as unknown as RlhfRecord;
      const poisoned = [metric('ppo', 'new_metric', 1, 9, T0), bad];
      // (matched by message: the driver's error class may come from another jest realm, failing instanceof)
      await expect(store.insert(poisoned)).rejects.toMatchObject({ message: expect.stringMatching(/not.null/i) });
      expect(await store.counts()).toEqual(before);
      expect(await store.catalog('metrics', { run: 'ppo' })).toEqual(['objective/kl']);
      // and the store keeps working afterwards
      await store.insert([metric('ppo', 'objective/kl', 0.3, 3, T0 + 3000)]);
      expect((await store.counts()).metric).toBe(before.metric + 1);
    });

    it('gives plot points of a long series keeping first, last and the spike', async () => {
      const batch: RlhfRecord[] = [];
      for (let i = 0; i < 50_000; i++) {
        batch.push(metric('long', 'loss', i === 31_337 ? 99 : 1 / (1 + i), i, T0 + i * 10));
      }
      await store.insert(batch);
      const [s] = await store.seriesForPlot(
        { runs: 'long', metrics: 'loss', range: { from: T0, to: T0 + 500_000 } },
        500
      );
      expect(s.points.length).toBeGreaterThanOrEqual(500);
      expect(s.points[0]).toEqual({ ts: T0, step: 0, value: 1 });
      expect(s.points.at(-1)?.step).toBe(49_999);
      expect(s.points.some((p) => p.value === 99 && p.step === 31_337)).toBe(true);
    });
  });
}

contract('SQLite', async () => {
  const db = tempDb();
  return { store: await openStore(db.file), done: db.cleanup };
});

if (hasPostgres()) {
  contract('PostgreSQL', async () => {
    const cluster = startCluster();
    return { store: await openStore(cluster.url), done: cluster.stop };
  });
} else {
  console.warn(
    'SKIPPED PostgreSQL store tests: /usr/lib/postgresql/15/bin not found (apt-get install -y postgresql-15)'
  );
}
