// The runner against a real store through the real ingest path, with a fake clock.
import { Ingestor } from '../ingest/ingest';
import { SqliteStore } from '../store/sqlite';
import type { Store } from '../store/types';
import { startDemo } from './runner';
import { CADENCE, DAY, HOUR, MINUTE } from './timeline';

const NOW = Date.parse('2026-11-25T12:00:00Z');

const total = async (store: Store) => Object.values(await store.counts()).reduce((a, b) => a + b, 0);

async function until(cond: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) {
      throw new Error('timed out');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('startDemo', () => {
  let clock = NOW;
  const store = new SqliteStore(':memory:');
  const ingestor = new Ingestor(store, () => clock);
  afterAll(() => store.close());

  it('seeds the last seven days of an empty store, then ingests live records as the clock moves, then stops', async () => {
    const demo = startDemo({
      ingest: (raw) => ingestor.ingest(raw),
      seed: 42,
      now: () => clock,
      intervalMs: 10,
      store,
    });
    await demo.seeded;
    const seeded = await total(store);
    expect(seeded).toBeGreaterThan(20_000);
    const range = { from: 0, to: NOW };
    const all = await store.series({ range });
    const times = all.flatMap((s) => s.points.map((p) => p.ts));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW - 7 * DAY);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    expect(Math.max(...times)).toBeGreaterThan(NOW - 5 * MINUTE);

    clock += 10 * MINUTE;
    await until(
      async () =>
        (await store.series({ runs: 'serve-prod', metrics: 'error_rate', range: { from: NOW + 1, to: clock } }))
          .length > 0
    );
    const live = await store.series({ range: { from: NOW + 1, to: clock + DAY } });
    expect(live.length).toBeGreaterThan(0);
    expect(Math.max(...live.flatMap((s) => s.points.map((p) => p.ts)))).toBeLessThanOrEqual(clock);

    await demo.stop();
    const stopped = await total(store);
    clock += HOUR;
    await new Promise((r) => setTimeout(r, 100));
    expect(await total(store)).toBe(stopped);
  });

  it('continues the same timeline on a store it already filled, without seeding the history again', async () => {
    const before = await total(store);
    const maxSteps = async () =>
      (await store.series({ runs: 'ppo-llama3-8b', metrics: 'max_steps', range: { from: 0, to: clock + DAY } }))[0]
        .points;
    const stepsBefore = await maxSteps();
    clock += HOUR; // the service was down for a while
    const demo = startDemo({
      ingest: (raw) => ingestor.ingest(raw),
      seed: 42,
      now: () => clock,
      intervalMs: 10,
      store,
    });
    await demo.seeded;
    await demo.stop();
    const added = (await total(store)) - before;
    expect(added).toBeGreaterThan(100); // the two hours since the last stored record
    expect(added).toBeLessThan(3000); // ... and not another week
    const steps = (await maxSteps()).map((p) => p.step);
    // Every step logged exactly once: 10, 20, 30, ... with no gap at the restart.
    expect(steps).toEqual(steps.map((_, i) => 10 * (i + 1)));
    expect(Math.max(...(steps as number[]))).toBeGreaterThan(Math.max(...stepsBefore.map((p) => p.step as number)));
    // The PPO run carries on about 2 hours' worth of logs further, not from step 0.
    const logs = (2 * HOUR) / CADENCE.trainingLog;
    expect(steps.length - stepsBefore.length).toBeGreaterThanOrEqual(logs - 2);
    expect(steps.length - stepsBefore.length).toBeLessThanOrEqual(logs + 2);
  });

  it('reports a failed live batch and keeps going', async () => {
    const errors: unknown[] = [];
    let fail = true;
    let calls = 0;
    const demo = startDemo({
      ingest: async (raw) => {
        calls++;
        if (fail && calls > 1) {
          fail = false;
          throw new Error('disk full');
        }
        return raw.length;
      },
      seed: 1,
      now: () => clock,
      intervalMs: 5,
      historyDays: 0.01,
      onError: (e) => errors.push(e),
    });
    await demo.seeded;
    for (let i = 0; i < 5; i++) {
      clock += 10 * MINUTE;
      await new Promise((r) => setTimeout(r, 30));
    }
    await demo.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk full']);
    expect(calls).toBeGreaterThan(3);
  });
});
