import { startService, type Service } from '../service';
import { fieldValues, post, targetError, tempDb } from './testing';

const T0 = Date.parse('2026-11-01T00:00:00Z');

describe('POST /api/v1/query: timeseries, events, catalog', () => {
  const db = tempDb();
  let svc: Service;
  const q = (body: unknown) => post(`${svc.url}/api/v1/query`, body);

  beforeAll(async () => {
    svc = await startService({ db: db.file });
    // 100,000 loss points, one per second, with one spike; plus a second run and a deployment series.
    const batch: unknown[] = [];
    for (let i = 0; i < 100_000; i++) {
      const value = i === 61_234 ? 9.5 : 2 * Math.exp(-i / 30_000) + 0.01 * Math.sin(i);
      batch.push({ kind: 'metric', run: 'ppo-a', name: 'loss', value, step: i, ts: T0 + i * 1000 });
      if (batch.length === 10_000) {
        expect((await post(`${svc.url}/api/v1/ingest`, batch.splice(0))).status).toBe(200);
      }
    }
    await post(`${svc.url}/api/v1/ingest`, [
      { kind: 'metric', run: 'ppo-b', name: 'loss', value: 1, step: 1, ts: T0 },
      { kind: 'metric', run: 'ppo-b', name: 'objective/kl', value: 0.1, step: 1, ts: T0 },
      {
        kind: 'metric',
        run: 'serve',
        name: 'error_rate',
        value: 0.01,
        ts: T0,
        phase: 'deployment',
        labels: { version: 'v1' },
      },
      { kind: 'event', title: 'checkpoint 1', tags: ['training', 'checkpoint'], ts: T0 + 5000 },
      { kind: 'event', title: 'rollout v2', text: 'canary', tags: ['deployment', 'rollout'], ts: T0 + 6000 },
      { kind: 'prediction', model: 'rm', confidence: 0.9, correct: true, ts: T0 },
      { kind: 'annotation', dataset: 'prefs', item: 'i', annotator: 'a', label: 1, ts: T0 },
      { kind: 'sample', feature: 'response_length', source: 'production', value: 120, ts: T0 },
    ]);
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('downsamples to maxDataPoints keeping first, last and the spike', async () => {
    const r = await q({
      from: T0,
      to: T0 + 100_000 * 1000,
      maxDataPoints: 500,
      queries: [{ refId: 'A', type: 'timeseries', run: 'ppo-a', metric: 'loss' }],
    });
    expect(r.status).toBe(200);
    const [f] = r.json.results.A.frames;
    const time = fieldValues(f, 'time') as number[];
    const value = fieldValues(f, 'value') as number[];
    const step = fieldValues(f, 'step') as number[];
    expect(time.length).toBeLessThanOrEqual(500);
    expect(time.length).toBeGreaterThan(400);
    expect(time[0]).toBe(T0);
    expect(step[step.length - 1]).toBe(99_999);
    expect(value).toContain(9.5);
    expect(step[value.indexOf(9.5)]).toBe(61_234);
    expect(f.schema.fields.find((x: { name: string }) => x.name === 'value').labels).toEqual({
      run: 'ppo-a',
      metric: 'loss',
    });
  });

  it('filters by time range (ISO strings accepted) and returns all points when they fit', async () => {
    const r = await q({
      from: new Date(T0 + 10_000).toISOString(),
      to: T0 + 19_000,
      queries: [{ refId: 'A', type: 'timeseries', run: 'ppo-a', metric: 'loss' }],
    });
    expect(fieldValues(r.json.results.A.frames[0], 'step')).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
  });

  it('expands * wildcards and lists for runs and metrics, one frame per series', async () => {
    const r = await q({
      from: T0,
      to: T0 + 1000,
      queries: [
        { refId: 'A', type: 'timeseries', run: 'ppo-*', metric: 'loss' },
        { refId: 'B', type: 'timeseries', run: ['ppo-b'], metric: '*' },
        { refId: 'C', type: 'timeseries', run: '*', metric: 'error_rate', phase: 'deployment' },
      ],
    });
    const names = (ref: string) => r.json.results[ref].frames.map((f: { schema: { name: string } }) => f.schema.name);
    expect(names('A')).toEqual(['ppo-a loss', 'ppo-b loss']);
    expect(names('B')).toEqual(['ppo-b loss', 'ppo-b objective/kl']);
    expect(names('C')).toEqual(['serve error_rate']);
    expect(r.json.results.C.frames[0].schema.fields.at(-1).labels).toEqual({
      run: 'serve',
      metric: 'error_rate',
      version: 'v1',
    });
  });

  it('puts step first with x=step', async () => {
    const r = await q({
      from: T0,
      to: T0 + 1000,
      queries: [{ refId: 'A', type: 'timeseries', run: 'ppo-b', metric: 'loss', x: 'step' }],
    });
    expect(r.json.results.A.frames[0].schema.fields.map((f: { name: string }) => f.name)).toEqual([
      'step',
      'time',
      'value',
    ]);
  });

  it('returns events filtered by tag, shaped for annotations', async () => {
    const r = await q({ from: T0, to: T0 + 10_000, queries: [{ refId: 'E', type: 'events', tags: ['rollout'] }] });
    const [f] = r.json.results.E.frames;
    expect(fieldValues(f, 'title')).toEqual(['rollout v2']);
    expect(fieldValues(f, 'text')).toEqual(['canary']);
    expect(fieldValues(f, 'tags')).toEqual([['deployment', 'rollout']]);
    expect(fieldValues(f, 'time')).toEqual([T0 + 6000]);
  });

  it.each([
    ['runs', ['ppo-a', 'ppo-b', 'serve']],
    ['metrics', ['error_rate', 'loss', 'objective/kl']],
    ['models', ['rm']],
    ['datasets', ['prefs']],
    ['features', ['response_length']],
    ['sources', ['production']],
  ])('catalog of %s', async (of, expected) => {
    const r = await q({ queries: [{ refId: 'V', type: 'catalog', of }] });
    expect(fieldValues(r.json.results.V.frames[0], 'value')).toEqual(expected);
  });

  it('answers a bad target with its own error and the other targets with their frames', async () => {
    const r = await q({
      queries: [
        { refId: 'A', type: 'nope' },
        { refId: 'B', type: 'catalog', of: 'users' },
        { refId: 'C', type: 'timeseries', run: 5 },
        { refId: 'D', type: 'catalog', of: 'runs' },
      ],
    });
    expect(targetError(r, 'A')).toEqual({
      status: 400,
      error: expect.stringMatching(/query A unknown type "nope"; expected one of .*timeseries/),
    });
    expect(targetError(r, 'B').error).toMatch(/query B \(catalog\): field "of" expected one of runs/);
    expect(targetError(r, 'C').error).toMatch(/field "run"/);
    expect(fieldValues(r.json.results.D.frames[0], 'value')).toEqual(['ppo-a', 'ppo-b', 'serve']);
  });

  it('answers 400 for a malformed request as a whole', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ queries: [] }, /send at least one query/],
      [{ from: 'last week', queries: [{ type: 'events' }] }, /field "from" expected epoch milliseconds/],
      [{ from: 10, to: 5, queries: [{ type: 'events' }] }, /"from" is after "to"/],
      [{ queries: 'all' }, /field "queries"/],
    ];
    for (const [body, message] of cases) {
      const r = await q(body);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(message);
    }
  });
});
