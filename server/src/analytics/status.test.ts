import {
  DEFAULT_STATUS_THRESHOLDS as TH,
  dataStatus,
  deploymentStatus,
  evaluationStatus,
  hackingSignal,
  statusThresholdsFrom,
  trainingStatus,
  type RunSnapshot,
} from './status';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const MIN = 60_000;

const series = (name: string, values: number[]) => ({
  name,
  points: values.map((value, i) => ({ ts: NOW - (values.length - i) * MIN, step: (i + 1) * 10, value })),
});
const lin = (n: number, from: number, to: number) =>
  Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));

function run(o: Partial<RunSnapshot> = {}): RunSnapshot {
  return { run: 'ppo', lastStep: 500, lastUpdate: NOW - MIN, maxSteps: 1000, ...o };
}

describe('thresholds', () => {
  it('defaults to the documented values and reads RLHF_STATUS_* overrides in their units', () => {
    expect(statusThresholdsFrom({})).toEqual(TH);
    const th = statusThresholdsFrom({
      RLHF_STATUS_STALLED_MINUTES: '30',
      RLHF_STATUS_KL_BUDGET: '2',
      RLHF_STATUS_RECENT_HOURS: '6',
      RLHF_STATUS_CURRENT_SOURCE: 'prod-eu',
      RLHF_STATUS_ERROR_RATE: '',
    });
    expect(th.stalledAfterMs).toBe(30 * MIN);
    expect(th.klBudget).toBe(2);
    expect(th.recentWindowMs).toBe(6 * 60 * MIN);
    expect(th.currentSource).toBe('prod-eu');
    expect(th.errorRate).toBe(0.02);
  });

  it('refuses a malformed number instead of silently using the default', () => {
    expect(() => statusThresholdsFrom({ RLHF_STATUS_MAX_ECE: 'ten' })).toThrow(/RLHF_STATUS_MAX_ECE/);
    expect(() => statusThresholdsFrom({ RLHF_STATUS_P99_MS: '-5' })).toThrow(/non-negative/);
  });
});

describe('training', () => {
  it('is unknown without recent runs, ok while stepping, and ignores runs silent for longer than a day', () => {
    expect(trainingStatus([], NOW).state).toBe('unknown');
    expect(trainingStatus([run({ lastUpdate: NOW - 25 * 60 * MIN })], NOW).state).toBe('unknown');
    const ok = trainingStatus([run()], NOW);
    expect(ok).toMatchObject({ phase: 'training', state: 'ok', updated: NOW - MIN });
    expect(ok.reason).toContain('step 500/1000 (50%)');
  });

  it('warns when an unfinished run has had no new step for 10 minutes, not when it reached max_steps', () => {
    expect(trainingStatus([run({ lastUpdate: NOW - 9 * MIN })], NOW).state).toBe('ok');
    const stalled = trainingStatus([run({ lastUpdate: NOW - 11 * MIN })], NOW);
    expect(stalled.state).toBe('warning');
    expect(stalled.reason).toMatch(/ppo stalled: no new step for 11 min/);
    const done = trainingStatus([run({ lastUpdate: NOW - 3 * 60 * MIN, lastStep: 1000 })], NOW);
    expect(done).toMatchObject({ state: 'ok', reason: 'ppo finished' });
  });

  it('is critical while reward rises with KL past the budget, warning when KL is past it but reward flat', () => {
    const kl = series('objective/kl', lin(40, 0.3, 1.5));
    const hacked = trainingStatus([run({ kl, reward: series('objective/rlhf_reward', lin(40, 1, 3)) })], NOW);
    expect(hacked.state).toBe('critical');
    expect(hacked.reason).toMatch(/reward hacking/);
    const flat = trainingStatus([run({ kl, reward: series('objective/rlhf_reward', lin(40, 2, 1)) })], NOW);
    expect(flat.state).toBe('warning');
    const healthy = trainingStatus(
      [run({ kl: series('objective/kl', lin(40, 0.05, 0.2)), reward: series('r', lin(40, 0, 2)) })],
      NOW
    );
    expect(healthy.state).toBe('ok');
  });

  it('uses the configured KL budget', () => {
    const kl = series('objective/kl', lin(40, 0.3, 1.5));
    const reward = series('objective/rlhf_reward', lin(40, 1, 3));
    expect(hackingSignal(reward, kl).state).toBe('critical');
    expect(hackingSignal(reward, kl, { klBudget: 2, hackingPoints: 20 }).state).toBe('ok');
  });
});

describe('deployment', () => {
  const at = (name: string, value: number, ago = MIN, labels = { version: 'v2', track: 'stable' }) => ({
    run: 'serve-prod',
    labels,
    name,
    value,
    ts: NOW - ago,
  });

  it('is critical over the error-rate or p99 limit, warning over half of it, ok below', () => {
    expect(deploymentStatus([at('error_rate', 0.003), at('latency_p99_ms', 600)], NOW).state).toBe('ok');
    expect(deploymentStatus([at('error_rate', 0.011), at('latency_p99_ms', 600)], NOW).state).toBe('warning');
    expect(deploymentStatus([at('error_rate', 0.003), at('latency_p99_ms', 1200)], NOW).state).toBe('warning');
    const down = deploymentStatus([at('error_rate', 0.08), at('latency_p99_ms', 4500)], NOW);
    expect(down.state).toBe('critical');
    expect(down.reason).toContain('error rate 8.0% (limit 2.0%)');
    expect(down.reason).toContain('p99 4500 ms (SLO 2000 ms)');
    expect(deploymentStatus([at('error_rate', 0.003), at('latency_p99_ms', 2001)], NOW).state).toBe('critical');
  });

  it('ignores retired series and is unknown when nothing reported recently', () => {
    const retired = at('error_rate', 0.5, 60 * MIN, { version: 'v1', track: 'stable' });
    expect(deploymentStatus([retired, at('error_rate', 0.001)], NOW).state).toBe('ok');
    expect(deploymentStatus([retired], NOW)).toMatchObject({ state: 'unknown', updated: NOW - 60 * MIN });
    expect(deploymentStatus([], NOW)).toMatchObject({ state: 'unknown', updated: null });
  });
});

describe('data', () => {
  const rr = (value: number) => ({ run: 'annotation-pipeline', value, ts: NOW });
  const ag = (alpha: number | null, items = 100) => ({ dataset: 'prefs', alpha, items, ts: NOW - MIN });

  it('warns on a reject rate over 5% or an agreement under 0.4 (with enough items to judge)', () => {
    expect(dataStatus({ rejectRates: [rr(0.01)], agreement: [ag(0.65)] }).state).toBe('ok');
    expect(dataStatus({ rejectRates: [rr(0.06)], agreement: [ag(0.65)] })).toMatchObject({
      state: 'warning',
      reason: 'annotation-pipeline: reject rate 6.0% > 5%',
    });
    expect(dataStatus({ rejectRates: [rr(0.01)], agreement: [ag(0.3)] }).reason).toContain('alpha 0.30 < 0.4');
    expect(dataStatus({ rejectRates: [rr(0.01)], agreement: [ag(0.3, 5)] }).state).toBe('ok');
    expect(dataStatus({ rejectRates: [], agreement: [] })).toMatchObject({ state: 'unknown', updated: null });
  });
});

describe('evaluation', () => {
  const cal = (ece: number, count = 500) => ({ model: 'rm', ece, count, ts: NOW });
  const drift = (psi: number) => ({
    feature: 'response_length',
    psi,
    currentCount: 200,
    referenceCount: 1000,
    ts: NOW,
  });

  it('warns on ECE > 0.1 or PSI > 0.25, is unknown with nothing to judge', () => {
    expect(evaluationStatus({ calibration: [cal(0.03)], drift: [drift(0.05)], lastMetricTs: null }).state).toBe('ok');
    expect(evaluationStatus({ calibration: [cal(0.12)], drift: [drift(0.05)], lastMetricTs: null })).toMatchObject({
      state: 'warning',
      reason: 'rm: ECE 0.120 > 0.1',
    });
    expect(evaluationStatus({ calibration: [], drift: [drift(0.4)], lastMetricTs: null }).state).toBe('warning');
    expect(evaluationStatus({ calibration: [cal(0.5, 10)], drift: [], lastMetricTs: null }).state).toBe('ok');
    expect(evaluationStatus({ calibration: [], drift: [], lastMetricTs: NOW }).state).toBe('ok');
    expect(evaluationStatus({ calibration: [], drift: [], lastMetricTs: null }).state).toBe('unknown');
  });
});
