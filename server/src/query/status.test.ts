// The `status` query end to end: crafted records through POST /api/v1/ingest into a temp SQLite file, the
// service's clock moved by hand, states read back through POST /api/v1/query.
import { fieldValues, post, tempDb } from '../http/testing';
import { startService, type Service } from '../service';

const T = Date.parse('2026-11-25T12:00:00Z');
const MIN = 60_000;

describe('status query', () => {
  const db = tempDb();
  let clock = T;
  let svc: Service;

  const ingest = async (records: unknown[]) => {
    const res = await post(`${svc.url}/api/v1/ingest`, records);
    expect(res).toMatchObject({ status: 200, json: { accepted: records.length } });
  };
  const status = async (to?: number) => {
    const res = await post(`${svc.url}/api/v1/query`, {
      from: clock - 6 * 60 * MIN,
      ...(to ? { to } : {}),
      queries: [{ refId: 'S', type: 'status' }],
    });
    expect(res.status).toBe(200);
    const frame = res.json.results.S.frames[0];
    const phases = fieldValues(frame, 'phase') as string[];
    const states = fieldValues(frame, 'state') as string[];
    const reasons = fieldValues(frame, 'reason') as string[];
    const updated = fieldValues(frame, 'updated') as Array<number | null>;
    const codes = fieldValues(frame, 'state_code') as number[];
    const by = (p: string) => {
      const i = phases.indexOf(p);
      return { state: states[i], reason: reasons[i], updated: updated[i], code: codes[i] };
    };
    expect(phases).toEqual(['data', 'training', 'evaluation', 'deployment']);
    return { data: by('data'), training: by('training'), evaluation: by('evaluation'), deployment: by('deployment') };
  };

  beforeAll(async () => {
    svc = await startService({ db: db.file, clock: () => clock });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('is unknown for every phase on an empty store', async () => {
    const s = await status();
    for (const p of Object.values(s)) {
      expect(p).toMatchObject({ state: 'unknown', updated: null, code: -1 });
    }
  });

  it('is ok for a healthy pipeline', async () => {
    const records: unknown[] = [];
    for (let i = 1; i <= 40; i++) {
      const ts = T - (41 - i) * MIN;
      records.push(
        { kind: 'metric', run: 'ppo-a', name: 'objective/kl', value: 0.05 + 0.002 * i, step: 10 * i, ts },
        { kind: 'metric', run: 'ppo-a', name: 'objective/rlhf_reward', value: 0.02 * i, step: 10 * i, ts },
        { kind: 'metric', run: 'ppo-a', name: 'max_steps', value: 1000, step: 10 * i, ts }
      );
    }
    const dep = { phase: 'deployment', labels: { version: 'v1', track: 'stable' } };
    records.push(
      { kind: 'metric', run: 'serve', name: 'error_rate', value: 0.002, ts: T - MIN, ...dep },
      { kind: 'metric', run: 'serve', name: 'latency_p99_ms', value: 640, ts: T - MIN, ...dep },
      { kind: 'metric', run: 'pipe', name: 'reject_rate', value: 0.01, ts: T - 5 * MIN, phase: 'data' }
    );
    // 40 items, three annotators: two always agree, the third on 3 of 4 items -> alpha well above 0.4.
    for (let i = 0; i < 40; i++) {
      const label = i % 2 ? 'A' : 'B';
      for (const [a, l] of [
        ['x', label],
        ['y', label],
        ['z', i % 4 === 0 ? (label === 'A' ? 'B' : 'A') : label],
      ]) {
        records.push({ kind: 'annotation', dataset: 'prefs', item: `i${i}`, annotator: a, label: l, ts: T - 30 * MIN });
      }
    }
    // Calibrated: confidence 0.8, 8 of every 10 correct.
    for (let i = 0; i < 200; i++) {
      records.push({ kind: 'prediction', model: 'rm', confidence: 0.8, correct: i % 10 < 8, ts: T - 20 * MIN });
    }
    for (let i = 0; i < 200; i++) {
      const v = 100 + ((i * 37) % 200);
      records.push({ kind: 'sample', feature: 'len', source: 'training', value: v, ts: T - 2 * 60 * MIN });
      records.push({ kind: 'sample', feature: 'len', source: 'production', value: v + 1, ts: T - 10 * MIN });
    }
    await ingest(records);
    const s = await status();
    expect(s.data).toMatchObject({ state: 'ok', updated: T - 5 * MIN, code: 0 });
    expect(s.training).toMatchObject({ state: 'ok', updated: T - MIN });
    expect(s.training.reason).toContain('ppo-a step 400/1000 (40%)');
    expect(s.evaluation.state).toBe('ok');
    expect(s.evaluation.reason).toMatch(/rm ECE 0\.000; len PSI 0\.0/);
    expect(s.deployment).toMatchObject({ state: 'ok', updated: T - MIN });
  });

  it('turns deployment critical during an incident and back after it, and can be read as of an earlier time', async () => {
    clock = T + 2 * MIN;
    const dep = { phase: 'deployment', labels: { version: 'v1', track: 'stable' } };
    await ingest([
      { kind: 'metric', run: 'serve', name: 'error_rate', value: 0.08, ts: T + MIN, ...dep },
      { kind: 'metric', run: 'serve', name: 'latency_p99_ms', value: 5200, ts: T + MIN, ...dep },
    ]);
    const s = await status();
    expect(s.deployment).toMatchObject({ state: 'critical', code: 2 });
    expect(s.deployment.reason).toContain('error rate 8.0%');
    expect((await status(T)).deployment.state).toBe('ok');

    await ingest([{ kind: 'metric', run: 'serve', name: 'error_rate', value: 0.012, ts: T + 2 * MIN, ...dep }]);
    await ingest([{ kind: 'metric', run: 'serve', name: 'latency_p99_ms', value: 700, ts: T + 2 * MIN, ...dep }]);
    expect((await status()).deployment).toMatchObject({ state: 'warning', code: 1 });
  });

  it('warns when the training run stops stepping for more than 10 minutes', async () => {
    clock = T + 9 * MIN;
    expect((await status()).training.state).toBe('ok');
    clock = T + 12 * MIN;
    const s = await status();
    expect(s.training.state).toBe('warning');
    expect(s.training.reason).toMatch(/ppo-a stalled: no new step for 13 min/);
  });

  it('turns training critical when a run starts reward hacking', async () => {
    const records: unknown[] = [];
    for (let i = 1; i <= 30; i++) {
      const ts = clock - (31 - i) * MIN;
      records.push(
        { kind: 'metric', run: 'ppo-b', name: 'objective/kl', value: 0.3 + 0.05 * i, step: 10 * i, ts },
        { kind: 'metric', run: 'ppo-b', name: 'objective/rlhf_reward', value: 1 + 0.1 * i, step: 10 * i, ts },
        { kind: 'metric', run: 'ppo-b', name: 'objective/entropy', value: 2 - 0.06 * i, step: 10 * i, ts }
      );
    }
    await ingest(records);
    const s = await status();
    expect(s.training.state).toBe('critical');
    expect(s.training.reason).toMatch(/^ppo-b: reward hacking: .*KL 1\.\d+ exceeds the budget 0\.50.*entropy 0\.20$/);
  });

  it('warns on data rejects and on a miscalibrated reward model', async () => {
    await ingest([
      { kind: 'metric', run: 'pipe', name: 'reject_rate', value: 0.09, ts: clock - MIN, phase: 'data' },
      // Over-confident: 0.95 but only 55% right -> ECE over the 24 h window well past 0.1.
      ...Array.from({ length: 200 }, (_, i) => ({
        kind: 'prediction',
        model: 'rm',
        confidence: 0.95,
        correct: i % 20 < 11,
        ts: clock - MIN,
      })),
    ]);
    const s = await status();
    expect(s.data).toMatchObject({ state: 'warning', reason: 'pipe: reject rate 9.0% > 5%' });
    expect(s.evaluation.state).toBe('warning');
    expect(s.evaluation.reason).toMatch(/^rm: ECE 0\.2\d\d > 0\.1$/);
  });

  it('warns on production drift', async () => {
    await ingest(
      Array.from({ length: 200 }, (_, i) => ({
        kind: 'sample',
        feature: 'len',
        source: 'production',
        value: 400 + i,
        ts: clock - MIN,
      }))
    );
    expect((await status()).evaluation.reason).toMatch(/len: PSI \d+\.\d\d > 0\.25/);
  });
});
