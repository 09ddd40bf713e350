import Database from 'better-sqlite3';
import type { RlhfRecord } from '@rlhf-monitor/contract';
import { tempDb } from '../http/testing';
import { SqliteStore } from './sqlite';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const metric = (name: string, step: number, value = step): RlhfRecord => ({
  kind: 'metric',
  run: 'log',
  name,
  value,
  step,
  ts: T0 + step * 1000,
  phase: 'training',
  labels: {},
});

// SQLite keeps the newest points of each series in an append-only log (replayed into memory at start) and seals
// them into chunks; what the contract tests cannot see from outside: restarts, and the log staying short.
describe('SQLite point log', () => {
  const db = tempDb();
  afterAll(() => db.cleanup());
  const all = async (s: SqliteStore, name: string) =>
    (await s.series({ runs: 'log', metrics: name, range: { from: T0, to: T0 + 1e9 } }))[0]?.points ?? [];

  it('replays unsealed points after a restart, repeats included, and compacts the log as it grows', async () => {
    let store = new SqliteStore(db.file);
    // A slow series whose three points sit at the start of the log, and a busy one sealing chunk after chunk.
    await store.insert([metric('slow', 0), metric('slow', 1), metric('slow', 2)]);
    for (let b = 0; b < 90; b++) {
      await store.insert(Array.from({ length: 1000 }, (_, i) => metric('busy', b * 1000 + i)));
    }
    await store.insert([metric('slow', 1, -1), metric('busy', 5, -5), metric('busy', 89_999, -9)]);
    const before = { slow: await all(store, 'slow'), busy: await all(store, 'busy'), counts: await store.counts() };
    expect(before.slow.map((p) => p.value)).toEqual([0, -1, 2]);
    expect(before.busy).toHaveLength(90_000);
    expect(before.busy.filter((p) => p.value < 0).map((p) => p.step)).toEqual([5, 89_999]);
    await store.close();

    const raw = new Database(db.file, { readonly: true });
    const logRows = raw.prepare('SELECT count(*) FROM tail').pluck().get() as number;
    raw.close();
    // ~90,000 points went through the log; compaction kept it near its floor (65,536) instead.
    expect(logRows).toBeLessThan(70_000);

    store = new SqliteStore(db.file);
    expect({ slow: await all(store, 'slow'), busy: await all(store, 'busy'), counts: await store.counts() }).toEqual(
      before
    );
    await store.close();
  });
});

// Read statements are prepared once per SQL text and kept (a bounded number of texts, the oldest leaving first).
describe('SQLite read statements', () => {
  it('answers reads whose texts outnumber the kept statements, in every mode, as the first time', async () => {
    const store = new SqliteStore(':memory:');
    try {
      const names = Array.from({ length: 300 }, (_, i) => `m${i}`);
      await store.insert([
        ...names.map((n, i) => ({ ...metric(n, i), run: 'many' })),
        ...names.map((n, i) => ({
          kind: 'prediction' as const,
          model: n,
          confidence: 0.5,
          correct: i % 2 === 0,
          item: null,
          ts: T0 + i,
        })),
      ]);
      const range = { from: T0, to: T0 + 1e9 };
      // A list of k names is a text of its own (k GLOBs): 300 texts, more than the store keeps.
      const read = (k: number) => store.series({ runs: 'many', metrics: names.slice(0, k), range });
      const first = await Promise.all(names.map((_, k) => read(k + 1)));
      expect(first.map((s) => s.length)).toEqual(names.map((_, k) => k + 1));
      // Row, plucked and raw statements between them, then the first texts again (evicted by now).
      expect((await store.predictionColumns({ model: 'm3', range })).correct).toEqual([0]);
      expect(await store.catalog('models')).toHaveLength(300);
      expect((await store.predictions({ model: 'm4', range }))[0]).toMatchObject({ model: 'm4', correct: true });
      expect(await read(1)).toEqual(first[0]);
      expect(await read(300)).toEqual(first[299]);
    } finally {
      await store.close();
    }
  });
});
