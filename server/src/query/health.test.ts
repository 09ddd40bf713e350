import { emaDebiased } from '../analytics/smoothing';
import { fieldValues, post, targetError, tempDb } from '../http/testing';
import { startService, type Service } from '../service';

const T0 = Date.parse('2026-11-05T00:00:00Z');
const MIN = 60_000;
const N = 100; // points per metric, one a minute, 10 steps apart
const NOW = T0 + (N - 1) * MIN + 2 * MIN;
const frameNamed = (frames: any[], name: string) => frames.find((f) => f.schema.name === name);
const signal = (frames: any[], name: string) => {
  const f = frameNamed(frames, 'signals');
  const i = fieldValues(f, 'signal').indexOf(name);
  return { state: fieldValues(f, 'state')[i], value: fieldValues(f, 'value')[i], reason: fieldValues(f, 'reason')[i] };
};

const wiggle = (i: number) => 0.02 * Math.sin(i * 2.3);
// A PPO run (TRL v2 names) that hacks its reward model: score up, KL to ~20 (budget 0.5), entropy to 5% of start.
const PPO: Record<string, (i: number) => number> = {
  'objective/scores': (i) => 0.05 * i + wiggle(i),
  'objective/rlhf_reward': (i) => 0.03 * i + wiggle(i),
  'objective/kl': (i) => 0.2 * i,
  'objective/entropy': (i) => (i < 50 ? 2 : 0.1),
  'loss/value_avg': (i) => 0.5 + wiggle(i),
};

describe('POST /api/v1/query type health', () => {
  const db = tempDb();
  let svc: Service;
  const q = (target: Record<string, unknown>, maxDataPoints = 1000) =>
    post(`${svc.url}/api/v1/query`, {
      from: T0,
      to: NOW,
      maxDataPoints,
      queries: [{ refId: 'H', type: 'health', ...target }],
    });

  beforeAll(async () => {
    svc = await startService({ db: db.file, clock: () => NOW });
    const records: unknown[] = [];
    for (let i = 0; i < N; i++) {
      for (const [name, f] of Object.entries(PPO)) {
        records.push({ kind: 'metric', run: 'ppo-test', name, value: f(i), step: i * 10, ts: T0 + i * MIN });
      }
      records.push({ kind: 'metric', run: 'ppo-test', name: 'max_steps', value: 2000, step: i * 10, ts: T0 + i * MIN });
      // GPU metrics carry labels and must not count as trainer metrics.
      records.push({
        kind: 'metric',
        run: 'ppo-test',
        name: 'gpu_utilization',
        value: 90,
        ts: T0 + i * MIN,
        labels: { node: 'n1', gpu: '0' },
      });
    }
    // A DPO run that stopped logging two hours before now.
    for (let i = 0; i < 10; i++) {
      records.push({ kind: 'metric', run: 'dpo-test', name: 'loss', value: 0.7 - i * 0.01, step: i, ts: T0 + i * MIN });
      records.push({
        kind: 'metric',
        run: 'dpo-test',
        name: 'rewards/accuracies',
        value: 0.5 + i * 0.01,
        step: i,
        ts: T0 + i * MIN,
      });
    }
    expect((await post(`${svc.url}/api/v1/ingest`, records)).status).toBe(200);
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('flags reward hacking and entropy collapse of a PPO run', async () => {
    const r = await q({ run: 'ppo-test' });
    expect(r.status).toBe(200);
    const frames = r.json.results.H.frames;
    const summary = frameNamed(frames, 'summary');
    expect(fieldValues(summary, 'state')).toEqual(['critical']);
    expect(fieldValues(summary, 'framework')).toEqual(['trl-ppo-v2']);
    expect(fieldValues(summary, 'last_update')).toEqual([T0 + (N - 1) * MIN]);

    expect(signal(frames, 'reward_hacking').state).toBe('critical');
    expect(signal(frames, 'reward_hacking').value).toBeGreaterThan(10);
    expect(signal(frames, 'entropy_collapse').state).toBe('critical');
    expect(signal(frames, 'entropy_collapse').value).toBeCloseTo(0.1, 6);
    expect(signal(frames, 'value_loss_explosion').state).toBe('ok');
    expect(signal(frames, 'stalled')).toMatchObject({ state: 'ok', value: 120 });
    expect(signal(frames, 'length_exploitation').state).toBe('unknown'); // TRL v2 logs no length

    // 10 steps a minute = 600/h; step 990 of 2000: 1010 steps = 101 min.
    const eta = frameNamed(frames, 'eta');
    expect(fieldValues(eta, 'step')).toEqual([990]);
    expect(fieldValues(eta, 'max_steps')).toEqual([2000]);
    expect(fieldValues(eta, 'steps_per_hour')[0]).toBeCloseTo(600, 9);
    expect(fieldValues(eta, 'eta_seconds')[0]).toBeCloseTo(6060, 6);
    expect(fieldValues(eta, 'progress')[0]).toBeCloseTo(0.495, 12);
  });

  it('returns smoothed curves, thinned to maxDataPoints', async () => {
    const r = await q({ run: 'ppo-test', smoothing: 0.9 }, 40);
    const smoothed = r.json.results.H.frames.filter((f: any) => f.schema.name === 'smoothed');
    const metrics = smoothed.map((f: any) => f.schema.fields.find((x: any) => x.name === 'raw').labels.metric);
    expect(metrics).toEqual([
      'objective/rlhf_reward',
      'objective/scores',
      'objective/kl',
      'objective/entropy',
      'loss/value_avg',
    ]);
    const kl = smoothed[2];
    const time = fieldValues(kl, 'time') as number[];
    expect(time.length).toBeLessThanOrEqual(40);
    expect(time[0]).toBe(T0);
    expect(time.at(-1)).toBe(T0 + (N - 1) * MIN);
    const full = emaDebiased(
      Array.from({ length: N }, (_, i) => PPO['objective/kl'](i)),
      0.9
    );
    expect(fieldValues(kl, 'smoothed').at(-1)).toBeCloseTo(full[N - 1], 9);
    expect(fieldValues(kl, 'raw')[0]).toBe(0);

    const only = await q({ run: 'ppo-test', metrics: ['kl', 'loss/value_avg'] });
    const names = only.json.results.H.frames
      .filter((f: any) => f.schema.name === 'smoothed')
      .map((f: any) => f.schema.fields[2].labels.metric);
    expect(names).toEqual(['objective/kl', 'loss/value_avg']);
  });

  it('answers only the frames a panel names in `frames` (a time series gets its curves, a table its signals)', async () => {
    const curves = await q({ run: 'ppo-test', metrics: ['kl'], frames: ['smoothed'] });
    expect(curves.json.results.H.frames.map((f: any) => f.schema.name)).toEqual(['smoothed']);
    const table = await q({ run: 'ppo-test', frames: ['signals', 'eta'] });
    expect(table.json.results.H.frames.map((f: any) => f.schema.name)).toEqual(['signals', 'eta']);
    expect(targetError(await q({ run: 'ppo-test', frames: [] }), 'H')).toMatchObject({
      status: 400,
      error: expect.stringMatching(/"frames"/),
    });
  });

  it('honours thresholds from the target', async () => {
    const r = await q({ run: 'ppo-test', kl_budget: 100, entropy_critical: 0.01, entropy_warn: '0.02' });
    const frames = r.json.results.H.frames;
    expect(signal(frames, 'reward_hacking').state).toBe('ok');
    expect(signal(frames, 'entropy_collapse').state).toBe('ok');
  });

  it('reports a stalled DPO run with unknown PPO-only signals', async () => {
    const frames = (await q({ run: 'dpo-test' })).json.results.H.frames;
    expect(fieldValues(frameNamed(frames, 'summary'), 'framework')).toEqual(['trl-dpo']);
    expect(signal(frames, 'stalled').state).toBe('critical'); // ~93 min > 4 × 10 min
    expect(signal(frames, 'reward_hacking').state).toBe('unknown');
    expect(fieldValues(frameNamed(frames, 'eta'), 'eta_seconds')).toEqual([null]); // no max_steps
  });

  it('unknown run and bad options', async () => {
    const frames = (await q({ run: 'nope' })).json.results.H.frames;
    expect(fieldValues(frameNamed(frames, 'summary'), 'state')).toEqual(['unknown']);
    expect(targetError(await q({ run: 'ppo-test', smoothing: 1.5 }), 'H').status).toBe(400);
    expect(targetError(await q({}), 'H').status).toBe(400);
  });
});
