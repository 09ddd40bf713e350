import { Ingestor } from '../ingest/ingest';
import { withIndexedLatest } from '../ingest/latest';
import { SqliteStore } from '../store/sqlite';
import type { Store } from '../store/types';
import { nextTurn } from '../turns';
import { turnTakingStore } from './turns';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const range = { from: T0, to: T0 + 1e9 };

describe('nextTurn', () => {
  it('lets one waiter go per turn of the event loop, in order', async () => {
    const order: string[] = [];
    const waits = [nextTurn().then(() => order.push('a')), nextTurn().then(() => order.push('b'))];
    // Queued after the first turn: it runs between the two waiters, not after both.
    setImmediate(() => order.push('other immediate'));
    await Promise.all(waits);
    expect(order).toEqual(['a', 'other immediate', 'b']);
  });
});

// The turn-taking store splits reads (by run and metric, by model) and must answer exactly as the store does.
describe('turnTakingStore', () => {
  let base: SqliteStore;
  let indexed: Store;
  let turns: Store;
  const metric = (run: string, name: string, step: number, labels: Record<string, string> = {}) => ({
    kind: 'metric',
    run,
    name,
    step,
    value: step * 10,
    ts: T0 + step * 1000,
    phase: 'training',
    labels,
  });

  beforeAll(async () => {
    base = new SqliteStore(':memory:');
    const ingestor = new Ingestor(base);
    await ingestor.load();
    const records: unknown[] = [];
    // `b*x` holds a wildcard in its name: read as a pattern it also matches `b-x`.
    for (const run of ['b-x', 'a-1', 'b*x', 'a-2']) {
      for (let s = 0; s < 5; s++) {
        records.push(metric(run, 'loss', s), metric(run, 'kl', s, { arm: s % 2 ? 'odd' : 'even' }));
      }
    }
    records.push({ ...metric('a-1', 'loss', 9), phase: 'evaluation' });
    for (const [i, model] of ['rm-b', 'rm-a', 'rm*'].entries()) {
      for (let k = 0; k < 4; k++) {
        records.push({ kind: 'prediction', model, confidence: 0.5, correct: k % 2 === 0, ts: T0 + k * 1000 + i });
      }
    }
    await ingestor.ingest(records);
    indexed = withIndexedLatest(base, ingestor.latest);
    turns = turnTakingStore(indexed);
  });
  afterAll(() => base.close());

  it.each([
    { runs: '*', metrics: '*' },
    { runs: 'a-*', metrics: 'loss' },
    { runs: 'b*x', metrics: ['kl', 'loss'] },
    { runs: ['a-2', 'b-x'], metrics: 'kl', phase: 'training' as const },
    { runs: 'a-1', metrics: 'loss' },
    { runs: 'none', metrics: 'loss' },
  ])('reads series as the store does: %j', async (q) => {
    const want = await base.series({ ...q, range });
    expect(want.length).toBeGreaterThan(q.runs === 'none' ? -1 : 0);
    expect(await turns.series({ ...q, range })).toEqual(want);
    expect(await turns.seriesForPlot({ ...q, range }, 100)).toEqual(await base.seriesForPlot({ ...q, range }, 100));
  });

  it('splits a read of many series into one store call per run and metric', async () => {
    const calls: unknown[] = [];
    const counting = new Proxy(indexed, {
      get: (t, p) =>
        p === 'series'
          ? (q: Parameters<Store['series']>[0]) => (calls.push([q.runs, q.metrics]), t.series(q))
          : Reflect.get(t, p),
    });
    const series = await turnTakingStore(counting).series({ runs: 'a-*', range });
    expect(series.map((s) => `${s.run} ${s.name} ${s.phase} ${JSON.stringify(s.labels)}`)).toEqual([
      'a-1 kl training {"arm":"even"}',
      'a-1 kl training {"arm":"odd"}',
      'a-1 loss evaluation {}',
      'a-1 loss training {}',
      'a-2 kl training {"arm":"even"}',
      'a-2 kl training {"arm":"odd"}',
      'a-2 loss training {}',
    ]);
    expect(calls).toEqual([
      [['a-1'], ['kl']],
      [['a-1'], ['loss']],
      [['a-2'], ['kl']],
      [['a-2'], ['loss']],
    ]);
  });

  it('reads predictions model by model, in time order as the store does', async () => {
    for (const model of ['*', 'rm-*', 'rm*', ['rm-a', 'rm-b']]) {
      const want = await base.predictions({ model, range });
      const got = await turns.predictions({ model, range });
      expect(got.map((p) => p.ts)).toEqual(want.map((p) => p.ts));
      expect([...got].sort((a, b) => a.ts - b.ts || a.model.localeCompare(b.model))).toEqual(
        [...want].sort((a, b) => a.ts - b.ts || a.model.localeCompare(b.model))
      );
    }
    expect((await turns.predictions({ model: '*', range })).map((p) => p.model).slice(0, 3)).toEqual([
      'rm-b',
      'rm-a',
      'rm*',
    ]);
  });

  it('keeps a read limit over all the pieces together', async () => {
    const points = (s: Array<{ points: unknown[] }>) => s.reduce((a, x) => a + x.points.length, 0);
    expect(points(await turns.series({ runs: '*', range, limit: 7 }))).toBe(
      points(await base.series({ runs: '*', range, limit: 7 }))
    );
    expect(await turns.predictions({ model: '*', range, limit: 5 })).toHaveLength(
      (await base.predictions({ model: '*', range, limit: 5 })).length
    );
  });
});
