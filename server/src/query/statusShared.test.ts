// The status as of now is computed once for callers that ask together (the status query, GET /metrics, the home
// page) and reused while no record is stored; the figures are those of a computation of its own.
import { DEFAULT_LIMITS } from '../config';
import { DEFAULT_STATUS_THRESHOLDS as TH } from '../analytics/status';
import { buildApp } from '../http/app';
import { Ingestor } from '../ingest/ingest';
import { openStore } from '../store/open';
import { overrideStore } from '../store/override';
import type { Store } from '../store/types';
import { featureDrift, phaseStatuses } from './status';

const AT = Date.parse('2026-11-25T12:00:00Z');
const MIN = 60_000;

describe('status: one computation for callers asking together', () => {
  let raw: Store;
  let reads = 0;
  let app: ReturnType<typeof buildApp>['app'];
  let ingestor: Ingestor;
  let url: string;

  beforeAll(async () => {
    raw = await openStore(':memory:');
    // Every record read of the statistics, counted.
    const counting = overrideStore(raw, {
      predictionColumns: (q) => (reads++, raw.predictionColumns(q)),
      sampleValues: (q) => (reads++, raw.sampleValues(q)),
      annotations: (q) => (reads++, raw.annotations(q)),
    });
    ingestor = new Ingestor(counting, () => AT);
    await ingestor.load();
    const records: unknown[] = [];
    for (let i = 0; i < 300; i++) {
      const ts = AT - 60 * MIN + i * 1000;
      records.push(
        { kind: 'prediction', model: i % 2 ? 'rm-a' : 'rm-b', confidence: (i % 97) / 97, correct: i % 3 > 0, ts },
        { kind: 'sample', feature: 'len', source: i % 2 ? 'training' : 'production', value: i % 2 ? i : 2 * i, ts },
        { kind: 'sample', feature: 'tox', source: i % 2 ? 'training' : 'production', value: (i * 7) % 11, ts },
        {
          kind: 'annotation',
          dataset: 'prefs',
          item: `q${i >> 2}`,
          annotator: `a${i % 4}`,
          label: i % 5 > 1 ? 1 : 0,
          ts,
        },
        { kind: 'metric', run: 'serve', name: 'error_rate', value: 0.001 * (i % 7), ts, phase: 'deployment' }
      );
    }
    await ingestor.ingest(records as never);
    app = buildApp({ store: counting, ingestor, limits: DEFAULT_LIMITS, clock: () => AT, status: TH }).app;
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await raw.close();
  });

  const statusQuery = async (to?: number) => {
    const res = await fetch(`${url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, queries: [{ refId: 'A', type: 'status' }] }),
    });
    return { body: await res.text() };
  };
  const scrape = async () => ({ body: await (await fetch(`${url}/metrics`)).text() });
  const rows = (body: string) => {
    const f = JSON.parse(body).results.A.frames[0];
    const v = (name: string) => f.data.values[f.schema.fields.findIndex((x: { name: string }) => x.name === name)];
    return v('phase').map((phase: string, i: number) => ({
      phase,
      state: v('state')[i],
      reason: v('reason')[i],
      updated: v('updated')[i],
    }));
  };
  const gauge = (text: string, name: string) =>
    Object.fromEntries(
      [...text.matchAll(new RegExp(`^${name}\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((m) => [m[1], Number(m[2])])
    );

  it('answers two scrapes and a status query with one computation, equal to an uncached one', async () => {
    // Reads of one computation of its own (2 models, 2 features x 2 sources, 1 dataset).
    const before = reads;
    const counted = overrideStore(raw, {
      predictionColumns: (q) => (reads++, raw.predictionColumns(q)),
      sampleValues: (q) => (reads++, raw.sampleValues(q)),
      annotations: (q) => (reads++, raw.annotations(q)),
    });
    const expected = await phaseStatuses(counted, AT, TH);
    const drift = await featureDrift(raw, AT, TH);
    const once = reads - before;
    expect(once).toBe(2 + 4 + 1);

    reads = 0;
    const [m1, m2, s] = await Promise.all([scrape(), scrape(), statusQuery()]);
    expect(reads).toBe(2 + 4 + 1);
    expect(rows(s.body)).toEqual(expected);
    expect(expected.find((p) => p.phase === 'evaluation')?.reason).toMatch(
      /^rm-a: ECE 0\.\d{3} > 0\.1; rm-b: .*len: PSI/
    );
    for (const m of [m1, m2]) {
      const psi = gauge(m.body, 'rlhf_drift_psi');
      expect(Object.keys(psi)).toHaveLength(2);
      for (const d of drift) {
        expect(psi[`feature="${d.feature}",reference="training",current="production"`]).toBe(d.psi);
      }
      const state = gauge(m.body, 'rlhf_phase_state');
      expect(state['phase="evaluation"']).toBe({ ok: 0, warning: 1, critical: 2, unknown: -1 }[expected[2].state]);
    }

    // Asked again with no record stored since: reused.
    expect(rows((await statusQuery()).body)).toEqual(expected);
    expect(reads).toBe(2 + 4 + 1);
  });

  it('computes afresh once a record is stored, and judges a past time on its own', async () => {
    const rmC = { kind: 'prediction', model: 'rm-c', confidence: 0.9, correct: false, ts: AT - MIN } as const;
    await ingestor.ingest(Array.from({ length: TH.minCount }, () => rmC));
    reads = 0;
    const now = rows((await statusQuery()).body);
    expect(reads).toBe(3 + 4 + 1);
    expect(now).toEqual(await phaseStatuses(raw, AT, TH));
    expect(now.find((p: { phase: string }) => p.phase === 'evaluation').reason).toContain('rm-c: ECE 0.900');

    reads = 0;
    const past = rows((await statusQuery(AT - 30 * MIN)).body);
    expect(reads).toBe(3 + 4 + 1);
    expect(past).toEqual(await phaseStatuses(raw, AT - 30 * MIN, TH));
    expect(past).not.toEqual(now);
  });
});
