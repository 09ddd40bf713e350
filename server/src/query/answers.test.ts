import { frame, FRAMES, num, type FrameJSON } from '@rlhf-monitor/contract';
import { fieldValues, post } from '../http/testing';
import { startService } from '../service';
import { sharedAnswer } from './answers';
import { QueryError } from './errors';
import type { QueryContext } from './types';

const ctx = (refId: string, from = 0): QueryContext =>
  ({ refId, range: { from, to: 1000 }, maxDataPoints: 100, now: 1000 }) as unknown as QueryContext;

describe('sharedAnswer', () => {
  const drift = { type: 'drift', feature: 'f', reference: 'a', current: 'b' };

  it('computes an identical question once; each asker gets its refId and only the frames it names', async () => {
    const store = {};
    let runs = 0;
    const run = async (t: unknown, c: QueryContext): Promise<FrameJSON[]> => {
      runs++;
      expect(t).not.toHaveProperty('frames'); // the shared answer has every frame
      return [
        frame(FRAMES.drift.summary, c.refId, [num('psi', [runs])]),
        frame(FRAMES.drift.histogram, c.refId, [num('bin_lower', [0])]),
      ];
    };
    const a = await sharedAnswer(store, 1, { ...drift, refId: 'A' }, ctx('A'), run);
    const b = await sharedAnswer(store, 1, { ...drift, refId: 'B', frames: ['summary'] }, ctx('B'), run);
    expect(runs).toBe(1);
    expect(a.map((f) => [f.schema.name, f.schema.refId])).toEqual([
      ['summary', 'A'],
      ['histogram', 'A'],
    ]);
    expect(b.map((f) => [f.schema.name, f.schema.refId, f.data.values[0][0]])).toEqual([['summary', 'B', 1]]);

    // Another option, range or data version is another question; another panel width is not, for a drift.
    await sharedAnswer(store, 1, { ...drift, bins: 5 }, ctx('A'), run);
    await sharedAnswer(store, 1, drift, ctx('A', 10), run);
    await sharedAnswer(store, 2, drift, ctx('A'), run);
    await sharedAnswer(store, 1, drift, { ...ctx('A'), maxDataPoints: 640 }, run);
    expect(runs).toBe(4);
    // A curve thinned to the width is.
    const curve = { type: 'timeseries', run: 'r', metric: 'loss' };
    await sharedAnswer(store, 1, curve, ctx('A'), run);
    await sharedAnswer(store, 1, curve, { ...ctx('A'), maxDataPoints: 640 }, run);
    expect(runs).toBe(6);
  });

  it("a shared failure is reported in the asker's own words", async () => {
    const fail = async (_t: unknown, c: QueryContext): Promise<FrameJSON[]> => {
      await new Promise((r) => setTimeout(r, 5));
      throw new QueryError(`query ${c.refId} (drift): too many samples`);
    };
    const store = {};
    const [a, b] = await Promise.allSettled([
      sharedAnswer(store, 1, drift, ctx('A'), fail),
      sharedAnswer(store, 1, drift, ctx('B'), fail),
    ]);
    expect([a, b].map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([
      'query A (drift): too many samples',
      'query B (drift): too many samples',
    ]);
  });
});

describe('shared answers in the service', () => {
  it('never outlive the data: a batch stored in between is in the next answer of the same range', async () => {
    const svc = await startService({ db: ':memory:', port: 0 });
    try {
      const T = Date.parse('2026-11-20T00:00:00Z');
      const sample = (value: number, source: string) => ({ kind: 'sample', feature: 'len', source, value, ts: T });
      const body = {
        from: T - 60_000,
        to: T + 60_000,
        queries: [{ refId: 'A', type: 'drift', feature: 'len', reference: 'training', current: 'production' }],
      };
      const counts = async () => {
        const f = (await post(`${svc.url}/api/v1/query`, body)).json.results.A.frames[0];
        return [fieldValues(f, 'reference_count')[0], fieldValues(f, 'current_count')[0]];
      };
      await post(`${svc.url}/api/v1/ingest`, [sample(1, 'training'), sample(2, 'production')]);
      expect(await counts()).toEqual([1, 1]);
      await post(`${svc.url}/api/v1/ingest`, [sample(3, 'production')]);
      expect(await counts()).toEqual([1, 2]);
    } finally {
      await svc.close();
    }
  });

  it('outlive records of other kinds: a drift answer is kept across metric batches, not across a sample', async () => {
    const svc = await startService({ db: ':memory:', port: 0 });
    let reads = 0;
    const samples = svc.store.samples.bind(svc.store);
    const sampleValues = svc.store.sampleValues.bind(svc.store);
    // Count the store's sample reads under the service (its wrappers call through to these).
    svc.store.samples = (q) => (reads++, samples(q));
    svc.store.sampleValues = (q) => (reads++, sampleValues(q));
    try {
      const T = Date.parse('2026-11-20T00:00:00Z');
      const body = {
        from: T - 60_000,
        to: T + 60_000,
        queries: [{ refId: 'A', type: 'drift', feature: 'len', reference: 'training', current: 'production' }],
      };
      const ask = async () => (await post(`${svc.url}/api/v1/query`, body)).json.results.A.frames[0];
      const sample = (value: number, source: string) => ({ kind: 'sample', feature: 'len', source, value, ts: T });
      await post(`${svc.url}/api/v1/ingest`, [sample(1, 'training'), sample(2, 'production')]);
      await ask();
      const once = reads;
      expect(once).toBeGreaterThan(0);
      await post(`${svc.url}/api/v1/ingest`, [{ kind: 'metric', run: 'r', name: 'loss', value: 1, ts: T }]);
      await ask();
      expect(reads).toBe(once);
      await post(`${svc.url}/api/v1/ingest`, [sample(3, 'production')]);
      expect(fieldValues(await ask(), 'current_count')[0]).toBe(2);
      expect(reads).toBeGreaterThan(once);
    } finally {
      await svc.close();
    }
  });
});
