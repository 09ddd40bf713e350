import { hasPostgres, startCluster } from './pgCluster';
import { openStore } from './open';
import type { Store } from './types';
import { post, tempDb } from '../http/testing';
import { type Service, startService } from '../service';
import { boundedStore } from '../query/bounded';
import { overrideStore } from './override';
import { calibration, type RlhfRecord } from '@rlhf-monitor/contract';

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
      // Runs with training data (the health editor's default), and a run's metrics of one phase.
      expect(await store.catalog('runs', { phase: 'training' })).toEqual(['ppo']);
      expect(await store.catalog('runs', { phase: 'deployment' })).toEqual(['serve']);
      expect(await store.catalog('metrics', { run: '*', phase: 'deployment' })).toEqual(['error_rate']);
      expect(await store.counts()).toEqual({ metric: 4, annotation: 2, prediction: 1, sample: 2, event: 1 });
    });

    it('lists the names of records through their indexes, in byte order, and reads the records whole', async () => {
      const at = T0 - 86_400_000; // before the other tests' ranges
      const sample = (feature: string, source: string, value: number | string): RlhfRecord => ({
        kind: 'sample',
        feature,
        source,
        value,
        ts: at,
      });
      await store.insert([
        sample('len', 'production', 3),
        sample('len', 'training', 4),
        sample('Len', 'canary', 5),
        sample('len-2', 'training', 'x'),
        { kind: 'prediction', model: 'rm-1', confidence: 0.5, correct: false, item: 'q1', ts: at },
        { kind: 'prediction', model: 'RM', confidence: 0.25, correct: true, item: null, ts: at },
        { kind: 'annotation', dataset: 'Prefs', item: 'q1', annotator: 'a', label: 2, ts: at },
      ]);
      // Byte order: upper case before lower, '-' before letters (the first test stored rm, prefs, category).
      expect(await store.catalog('models')).toEqual(['RM', 'rm', 'rm-1']);
      expect(await store.catalog('datasets')).toEqual(['Prefs', 'prefs']);
      expect(await store.catalog('features')).toEqual(['Len', 'category', 'len', 'len-2']);
      expect(await store.catalog('sources')).toEqual(['canary', 'production', 'training']);
      const range = { from: at, to: at };
      expect(await store.samples({ feature: 'len-2', source: 'training', range })).toEqual([
        { kind: 'sample', feature: 'len-2', source: 'training', value: 'x', ts: at },
      ]);
      expect(await store.predictions({ model: ['rm-1', 'RM'], range })).toEqual([
        { kind: 'prediction', model: 'rm-1', confidence: 0.5, correct: false, item: 'q1', ts: at },
        { kind: 'prediction', model: 'RM', confidence: 0.25, correct: true, item: null, ts: at },
      ]);
      expect(await store.annotations({ dataset: 'Prefs', range })).toEqual([
        { kind: 'annotation', dataset: 'Prefs', item: 'q1', annotator: 'a', label: 2, ts: at },
      ]);
    });

    it('reads predictions and samples as columns, in the order and with the figures of the records', async () => {
      const at = T0 - 2 * 86_400_000;
      const records: RlhfRecord[] = [];
      for (let i = 0; i < 500; i++) {
        const ts = at + Math.floor(i / 3); // ties in time
        const confidence = ((i * 7919) % 1000) / 997 + 1e-9 * (i % 13);
        records.push({ kind: 'prediction', model: 'cols', confidence, correct: (i * 31) % 7 > 2, item: null, ts });
        records.push({ kind: 'sample', feature: 'cols', source: 'prod', value: i % 17 ? Math.sqrt(i) : 'cat', ts });
      }
      await store.insert(records);
      const range = { from: at, to: at + 10_000 };
      const preds = await store.predictions({ model: 'cols', range });
      const cols = await store.predictionColumns({ model: 'cols', range });
      expect(cols.confidence).toEqual(preds.map((p) => p.confidence));
      expect(cols.correct).toEqual(preds.map((p) => (p.correct ? 1 : 0)));
      expect(cols.last).toBe(at + 166);
      expect(cols.ts).toBeUndefined();
      // With times: the same columns and each record's time, in the same order.
      expect(await store.predictionColumns({ model: 'cols', range, times: true })).toEqual({
        ...cols,
        ts: preds.map((p) => p.ts),
      });
      // The ECE the status rule reads from columns is the calibration query's, to the last bit.
      const fromRecords = calibration(
        preds.map((p) => p.confidence),
        preds.map((p) => p.correct)
      );
      expect(calibration(cols.confidence, cols.correct)).toEqual(fromRecords);
      expect(fromRecords.count).toBe(500);

      const samples = await store.samples({ feature: 'cols', source: 'prod', range });
      const values = await store.sampleValues({ feature: 'cols', source: 'prod', range });
      expect(values).toEqual({ values: samples.map((x) => x.value), last: at + 166 });
      // Cut short by a limit: the first `limit` in the same order, and the time of the last of them.
      expect(await store.sampleValues({ feature: 'cols', source: 'prod', range, limit: 10 })).toEqual({
        values: samples.slice(0, 10).map((x) => x.value),
        last: at + 3,
      });
      const cut = await store.predictionColumns({ model: 'cols', range, limit: 4 });
      expect(cut).toEqual({ confidence: cols.confidence.slice(0, 4), correct: cols.correct.slice(0, 4), last: at + 1 });
      expect((await store.predictionColumns({ model: 'cols', range, limit: 4, times: true })).ts).toEqual(
        preds.slice(0, 4).map((p) => p.ts)
      );
      expect(await store.predictionColumns({ model: 'none', range })).toEqual({
        confidence: [],
        correct: [],
        last: null,
      });
      expect(await store.sampleValues({ feature: 'cols', source: 'none', range })).toEqual({ values: [], last: null });
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

    it('keeps one point per series and step (or time without a step): a repeat replaces it', async () => {
      const range = { from: T0, to: T0 + 10_000_000 };
      // longer than a chunk, so repeats land in sealed chunks as well as in the newest points
      const batch: RlhfRecord[] = [];
      for (let i = 0; i < 3000; i++) {
        batch.push(metric('idem', 'loss', i, i, T0 + i * 1000));
      }
      for (let i = 0; i < 5; i++) {
        batch.push(metric('idem', 'gpu', i, null, T0 + i * 1000, { phase: 'deployment' }));
      }
      const before = await store.counts();
      await store.insert(batch);
      await store.insert(batch); // a client retry, a file imported twice
      const after = await store.counts();
      expect(after.metric - before.metric).toBe(3005);
      // a repeat with a new value (and time) replaces the earlier point, old or new, stepped or not
      await store.insert([
        metric('idem', 'loss', -1, 10, T0 + 10_500),
        metric('idem', 'loss', -2, 2990, T0 + 2_990_000),
        metric('idem', 'gpu', 7, null, T0 + 2000, { phase: 'deployment' }),
        metric('idem', 'loss', -3, 20, T0 + 20_000), // twice in one batch: the last one wins
        metric('idem', 'loss', -4, 20, T0 + 20_000),
      ]);
      expect((await store.counts()).metric).toBe(after.metric);
      const [gpu, loss] = await store.series({ runs: 'idem', range });
      expect(loss.points).toHaveLength(3000);
      expect(loss.points.filter((p) => p.value < 0)).toEqual([
        { ts: T0 + 10_500, step: 10, value: -1 },
        { ts: T0 + 20_000, step: 20, value: -4 },
        { ts: T0 + 2_990_000, step: 2990, value: -2 },
      ]);
      expect(gpu.points.map((p) => p.value)).toEqual([0, 1, 7, 3, 4]);
      // and plots see the replacement: the minimum of the range is the new point
      const [plot] = await store.seriesForPlot({ runs: 'idem', metrics: 'loss', range }, 100);
      expect(Math.min(...plot.points.map((p) => p.value))).toBe(-4);
      expect(plot.points.some((p) => p.step === 10 && p.value === 10)).toBe(false);
    });

    it('keeps one annotation per dataset, item and annotator: a repeat replaces it', async () => {
      const range = { from: T0, to: T0 + 10_000 };
      const a = (item: string, annotator: string, label: string | number, ts = T0): RlhfRecord => ({
        kind: 'annotation',
        dataset: 'idem',
        item,
        annotator,
        label,
        ts,
      });
      const batch = [a('i1', 'x', 'A'), a('i1', 'y', 'B'), a('i2', 'x', 'A')];
      const before = (await store.counts()).annotation;
      await store.insert(batch);
      await store.insert(batch);
      await store.insert([a('i1', 'x', 2, T0 + 5), a('i2', 'x', 'C', T0 + 1), a('i2', 'x', 'D', T0 + 2)]);
      expect((await store.counts()).annotation - before).toBe(3);
      expect((await store.annotations({ dataset: 'idem', range })).map((r) => [r.item, r.annotator, r.label])).toEqual([
        ['i1', 'y', 'B'],
        ['i2', 'x', 'D'],
        ['i1', 'x', 2],
      ]);
    });

    describe('read limits', () => {
      const range = { from: T0, to: T0 + 10_000_000 };
      const n = 3000; // several chunks (and unsealed points) in SQLite
      beforeAll(async () => {
        const batch: RlhfRecord[] = [];
        for (let i = 0; i < n; i++) {
          batch.push(metric('cap', 'big', i, i, T0 + i));
          batch.push({ kind: 'sample', feature: 'cap', source: 'training', value: i, ts: T0 + i });
          batch.push({ kind: 'prediction', model: 'cap', confidence: 0.5, correct: true, item: null, ts: T0 + i });
          batch.push({ kind: 'annotation', dataset: 'cap', item: `i${i}`, annotator: 'a', label: i, ts: T0 + i });
        }
        for (let i = 0; i < 500; i++) {
          batch.push(metric('cap', 'small', i, i, T0 + i));
        }
        await store.insert(batch);
      });
      const values = (s: Array<{ points: Array<{ value: number }> }>) => s.flatMap((x) => x.points.map((p) => p.value));

      it('reads at most `limit` points of all series together, or records', async () => {
        const ascending = (k: number) => Array.from({ length: k }, (_, i) => i);
        // 'big' comes first (series are read in name order); the limit cuts it and leaves 'small' unread
        const cut = await store.series({ runs: 'cap', range, limit: 1001 });
        expect(cut.map((s) => [s.name, s.points.length])).toEqual([['big', 1001]]);
        expect(values(cut)).toEqual(ascending(1001));
        const across = await store.series({ runs: 'cap', range, limit: n + 10 });
        expect(across.map((s) => [s.name, s.points.length])).toEqual([
          ['big', n],
          ['small', 10],
        ]);
        expect(values(await store.series({ runs: 'cap', range }))).toHaveLength(n + 500);
        expect(await store.series({ runs: 'cap', range, limit: 0 })).toEqual([]);
        // a plot of every point (maxPoints above the range's points) and one from summaries are both cut
        expect(values(await store.seriesForPlot({ runs: 'cap', metrics: 'big', range, limit: 1001 }, 10_000))).toEqual(
          ascending(1001)
        );
        // thinned to summaries (maxPoints 2): cut to the first of the plot's points
        const plot = { runs: 'cap', metrics: 'big', range };
        const thinned = values(await store.seriesForPlot(plot, 2));
        expect(thinned.length).toBeGreaterThan(1);
        expect(values(await store.seriesForPlot({ ...plot, limit: 1 }, 2))).toEqual(thinned.slice(0, 1));
        const ts = (r: Array<{ ts: number }>) => r.map((x) => x.ts - T0);
        expect(ts(await store.samples({ feature: 'cap', source: 'training', range, limit: 1001 }))).toEqual(
          ascending(1001)
        );
        expect(ts(await store.predictions({ model: 'ca*', range, limit: 1001 }))).toEqual(ascending(1001));
        expect(ts(await store.annotations({ dataset: 'cap', range, limit: 1001 }))).toEqual(ascending(1001));
        expect(await store.samples({ feature: 'cap', source: 'training', range })).toHaveLength(n);
      });

      it('refuses a target over pointsPerTarget after reading one point or record past it', async () => {
        const read: Record<string, number[]> = {};
        const seen = (method: string, k: number) => (read[method] ??= []).push(k);
        const spied = overrideStore(store, {
          series: async (q) => {
            const s = await store.series(q);
            seen('series', values(s).length);
            return s;
          },
          seriesForPlot: async (q, maxPoints) => {
            const s = await store.seriesForPlot(q, maxPoints);
            seen('seriesForPlot', values(s).length);
            return s;
          },
          samples: async (q) => {
            const r = await store.samples(q);
            seen('samples', r.length);
            return r;
          },
          predictions: async (q) => {
            const r = await store.predictions(q);
            seen('predictions', r.length);
            return r;
          },
          annotations: async (q) => {
            const r = await store.annotations(q);
            seen('annotations', r.length);
            return r;
          },
          sampleValues: async (q) => {
            const r = await store.sampleValues(q);
            seen('sampleValues', r.values.length);
            return r;
          },
          predictionColumns: async (q) => {
            const r = await store.predictionColumns(q);
            seen('predictionColumns', r.confidence.length);
            return r;
          },
        });
        const bounded = boundedStore(spied, { seriesPerTarget: 10, pointsPerTarget: 1000 }, 'P');
        const refused = expect.objectContaining({
          status: 400,
          message: expect.stringMatching(
            /^query P: it reads at least 1001, more than the limit of 1000 \(pointsPerTarget\); shorten the time range/
          ),
        });
        await expect(bounded.series({ runs: 'cap', range })).rejects.toEqual(refused);
        await expect(bounded.seriesForPlot({ runs: 'cap', metrics: 'big', range }, 10_000)).rejects.toEqual(refused);
        await expect(bounded.samples({ feature: 'cap', source: 'training', range })).rejects.toEqual(refused);
        await expect(bounded.predictions({ model: 'cap', range })).rejects.toEqual(refused);
        await expect(bounded.annotations({ dataset: 'cap', range })).rejects.toEqual(refused);
        await expect(bounded.sampleValues({ feature: 'cap', source: 'training', range })).rejects.toEqual(refused);
        await expect(bounded.predictionColumns({ model: 'cap', range })).rejects.toEqual(refused);
        expect(read).toEqual({
          series: [1001],
          seriesForPlot: [1001],
          samples: [1001],
          predictions: [1001],
          annotations: [1001],
          sampleValues: [1001],
          predictionColumns: [1001],
        });
        // under the cap, everything comes back
        expect(values(await bounded.series({ runs: 'cap', metrics: 'small', range }))).toHaveLength(500);
      });
    });

    it('never mixes up series whose names and labels contain separators or quotes', async () => {
      const range = { from: T0, to: T0 + 10 };
      // pairs that collide when fields are joined with a separator; NUL where the store can hold it
      const names: Array<[string, string, Record<string, string>]> = [
        ['q', 'b","c', {}],
        ['q","b', 'c', {}],
        ['q', 'l', { 'a","b': 'c' }],
        ['q', 'l', { a: 'b","c' }],
        ...(name === 'SQLite'
          ? ([
              ['a', 'b\u0000c', {}],
              ['a\u0000b', 'c', {}],
            ] as Array<[string, string, Record<string, string>]>)
          : []),
      ];
      await store.insert(names.map(([run, n, labels], i) => metric(run, n, i, 0, T0, { labels })));
      for (const [i, [run, n, labels]] of names.entries()) {
        const got = (await store.series({ runs: run, metrics: n, range })).filter(
          (s) => JSON.stringify(s.labels) === JSON.stringify(labels)
        );
        expect(got.map((s) => [s.run, s.name, s.labels, s.points.map((p) => p.value)])).toEqual([
          [run, n, labels, [i]],
        ]);
      }
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

  describe('PostgreSQL replicas', () => {
    it('two stores on one database creating the same new series at once: no errors, nothing lost', async () => {
      const cluster = startCluster();
      const replicas = [await openStore(cluster.url), await openStore(cluster.url)];
      try {
        // Each round, 8 writers (4 per replica) create the same 200 new series, half in reverse order,
        // each also sending the same shared point (step 100) of every series.
        const errors: unknown[] = [];
        for (let round = 0; round < 4; round++) {
          const names = Array.from({ length: 200 }, (_, i) => `r${round}-s${i}`);
          await Promise.all(
            Array.from({ length: 8 }, (_, w) => {
              const order = w % 2 ? [...names].reverse() : names;
              const batch = order.flatMap((n) => [
                metric('replicas', n, w, w, T0 + w),
                metric('replicas', n, -1, 100, T0 + 100),
              ]);
              return replicas[w % 2].insert(batch).catch((e) => errors.push(e));
            })
          );
        }
        expect(errors).toEqual([]);
        const all = await replicas[0].series({ runs: 'replicas', range: { from: T0, to: T0 + 1000 } });
        expect(all).toHaveLength(4 * 200);
        // steps 0..7 from the writers, and the shared point once
        expect(new Set(all.map((s) => s.points.map((p) => p.step).join()))).toEqual(new Set(['0,1,2,3,4,5,6,7,100']));
      } finally {
        await Promise.all(replicas.map((r) => r.close()));
        cluster.stop();
      }
    }, 60_000);

    it("services on one database see each other's new series after one refresh, and store no repeats", async () => {
      const cluster = startCluster();
      const every = jest.spyOn(global, 'setInterval');
      const replicas: Service[] = [];
      try {
        for (let i = 0; i < 2; i++) {
          replicas.push(await startService({ db: cluster.url, replicaRefreshSeconds: 0.2 }));
        }
        expect(every).toHaveBeenCalledWith(expect.any(Function), 200);
        every.mockRestore();
        const [a, b] = replicas;
        /** Hold `svc`'s next refresh: `held` once it waits (no other is running then), `done` once it has run. */
        const holdRefresh = (svc: Service) => {
          const own = svc.ingestor.refresh.bind(svc.ingestor);
          let release = () => {};
          const gate = new Promise<void>((r) => (release = r));
          let waiting = () => {};
          const held = new Promise<void>((r) => (waiting = r));
          const done = new Promise<void>((resolve) => {
            svc.ingestor.refresh = async () => {
              svc.ingestor.refresh = own;
              waiting();
              await gate;
              await own().finally(resolve);
            };
          });
          return { held, release, done };
        };
        const metricsText = async (svc: Service) => (await fetch(`${svc.url}/metrics`)).text();
        const gauges = async (svc: Service, prefix: string) =>
          (await metricsText(svc)).split('\n').filter((l) => l.startsWith(prefix));
        const deploymentState = async (svc: Service) => {
          const r = await post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'S', type: 'status' }] });
          const [phases, states] = r.json.results.S.frames[0].data.values;
          return states[phases.indexOf('deployment')];
        };
        const runs = async (svc: Service) => {
          const r = await post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'C', type: 'catalog', of: 'runs' }] });
          return r.json.results.C.frames[0].data.values[0];
        };

        // A new series through A: B's index has it once B has refreshed after the batch was stored.
        const now = Date.now();
        const hold = holdRefresh(b);
        await hold.held;
        const failing = { kind: 'metric', run: 'rep', name: 'error_rate', phase: 'deployment', value: 0.5, ts: now };
        expect((await post(`${a.url}/api/v1/ingest`, [failing])).status).toBe(200);
        const gauge = 'rlhf_deployment_error_rate{run="rep"} 0.5';
        expect(await gauges(a, 'rlhf_deployment_error_rate')).toEqual([gauge]);
        expect(await deploymentState(a)).toBe('critical');
        expect(await gauges(b, 'rlhf_deployment_error_rate')).toEqual([]); // not refreshed yet
        expect(await deploymentState(b)).toBe('unknown');
        expect(await runs(b)).toEqual(['rep']); // the catalog reads the database itself
        hold.release();
        await hold.done;
        expect(await gauges(b, 'rlhf_deployment_error_rate')).toEqual([gauge]);
        expect(await deploymentState(b)).toBe('critical');

        // The same batch of 50 new series through both at once, twice each: every series and point once.
        const names = Array.from({ length: 50 }, (_, i) => `m${i}`);
        const batch = names.flatMap((name) =>
          [0, 1, 2].map((step) => ({
            kind: 'metric',
            run: 'both',
            name,
            phase: 'deployment',
            value: step,
            step,
            ts: now + step,
          }))
        );
        const replies = await Promise.all([a, b, a, b].map((svc) => post(`${svc.url}/api/v1/ingest`, batch)));
        expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
        const stored = await a.store.series({ runs: 'both', range: { from: now, to: now + 10 } });
        expect(stored).toHaveLength(50);
        expect(new Set(stored.map((s) => s.points.map((p) => `${p.step}:${p.value}`).join()))).toEqual(
          new Set(['0:0,1:1,2:2'])
        );
        expect((await a.store.counts()).metric).toBe(1 + 150);
        expect(await runs(a)).toEqual(['both', 'rep']);
        const refreshed = [holdRefresh(a), holdRefresh(b)];
        refreshed.forEach((h) => h.release());
        await Promise.all(refreshed.map((h) => h.done));
        const expected = names.map((n) => `rlhf_deployment_${n}{run="both"} 2`).sort();
        for (const svc of replicas) {
          expect((await gauges(svc, 'rlhf_deployment_m')).sort()).toEqual(expected);
        }
      } finally {
        every.mockRestore();
        await Promise.all(replicas.map((r) => r.close()));
        cluster.stop();
      }
    }, 60_000);
  });
} else {
  console.warn(
    'SKIPPED PostgreSQL store tests: /usr/lib/postgresql/15/bin not found (apt-get install -y postgresql-15)'
  );
}
