import {
  DEFAULT_HEALTH,
  entropyCollapse,
  eta,
  lengthExploitation,
  NamedSeries,
  overallState,
  rewardHacking,
  spikes,
  stalled,
  valueLossExplosion,
} from './health';

const T0 = Date.UTC(2026, 10, 20);
const MIN = 60_000;

/** A series with one point per step, a minute apart. */
function series(name: string, f: (i: number) => number, n = 100): NamedSeries {
  return { name, points: Array.from({ length: n }, (_, i) => ({ ts: T0 + i * MIN, step: i * 10, value: f(i) })) };
}
// Deterministic small noise.
const wiggle = (i: number) => 0.02 * Math.sin(i * 2.3);

describe('rewardHacking', () => {
  const reward = series('objective/scores', (i) => i * 0.05 + wiggle(i));

  it('is critical when reward rises while KL runs past the budget', () => {
    const kl = series('objective/kl', (i) => i * 0.2); // reaches 19.8 > 10, growing
    const s = rewardHacking(reward, kl, { ...DEFAULT_HEALTH, klBudget: 10 });
    expect(s.state).toBe('critical');
    expect(s.value).toBeGreaterThan(10);
    // Smoothed KL crosses 10 a few points after raw i = 50 (the EMA lags), so since is just after T0 + 50 min.
    expect(s.since).toBeGreaterThan(T0 + 50 * MIN);
    expect(s.since).toBeLessThan(T0 + 55 * MIN);
    expect(s.reason).toMatch(/reward rising/);
  });

  it('warns when KL is over budget but the reward is flat', () => {
    const kl = series('objective/kl', (i) => 12 + wiggle(i));
    const flat = series('objective/scores', (i) => 1 - i * 0.001);
    expect(rewardHacking(flat, kl).state).toBe('warning');
  });

  it('is ok within budget, critical for negative KL, unknown without KL', () => {
    const small = series('objective/kl', (i) => 0.2 + wiggle(i) / 10);
    expect(rewardHacking(reward, small).state).toBe('ok');
    // KL 2 is over the default budget (0.5 nats, as the status query) but flat: a warning, not hacking.
    expect(
      rewardHacking(
        reward,
        series('objective/kl', (i) => 2 + wiggle(i))
      ).state
    ).toBe('warning');
    const negative = rewardHacking(
      reward,
      series('objective/kl', (i) => -0.5 + wiggle(i))
    );
    expect(negative.state).toBe('critical');
    expect(negative.reason).toMatch(/negative/);
    expect(rewardHacking(reward, undefined).state).toBe('unknown');
    expect(rewardHacking(reward, { name: 'kl', points: [] }).state).toBe('unknown');
  });

  it('respects a custom budget', () => {
    const kl = series('kl', (i) => i * 0.2);
    expect(rewardHacking(reward, kl, { ...DEFAULT_HEALTH, klBudget: 50 }).state).toBe('ok');
  });
});

describe('entropyCollapse', () => {
  it('grades the fall against the starting entropy', () => {
    expect(entropyCollapse(series('objective/entropy', (i) => (i < 20 ? 2 : 2 - i * 0.01))).state).toBe('ok');
    const warn = entropyCollapse(series('objective/entropy', (i) => (i < 60 ? 2 : 0.4)));
    expect(warn.state).toBe('warning'); // 20% of start
    const crit = entropyCollapse(series('objective/entropy', (i) => (i < 60 ? 2 : 0.05)));
    expect(crit.state).toBe('critical'); // 2.5% of start
    expect(crit.value).toBeCloseTo(0.05, 6);
    expect(crit.since).toBeGreaterThanOrEqual(T0 + 60 * MIN);
  });

  it('edge cases', () => {
    expect(entropyCollapse(undefined).state).toBe('unknown');
    expect(entropyCollapse(series('e', () => 1, 1)).state).toBe('unknown'); // one point
    expect(entropyCollapse(series('e', () => 0)).state).toBe('unknown'); // no positive start
    expect(entropyCollapse(series('e', () => 1.5)).state).toBe('ok'); // all identical
  });
});

describe('valueLossExplosion', () => {
  it('is critical when the smoothed loss runs away', () => {
    const s = valueLossExplosion(series('loss/value_avg', (i) => (i < 90 ? 0.5 + wiggle(i) : 50)));
    expect(s.state).toBe('critical');
    expect(s.value).toBeGreaterThan(5);
  });

  it('warns on a single recent spike, ignores old ones', () => {
    const recent = valueLossExplosion(series('loss/value_avg', (i) => (i === 95 ? 3 : 0.5 + wiggle(i))));
    expect(recent.state).toBe('warning');
    expect(recent.since).toBe(T0 + 95 * MIN);
    expect(recent.reason).toMatch(/step 950/);
    const old = valueLossExplosion(series('loss/value_avg', (i) => (i === 30 ? 3 : 0.5 + wiggle(i))));
    expect(old.state).toBe('ok');
  });

  it('edge cases', () => {
    expect(valueLossExplosion(undefined).state).toBe('unknown');
    expect(valueLossExplosion(series('v', () => 1, 2)).state).toBe('unknown');
    expect(valueLossExplosion(series('v', () => 1)).state).toBe('ok');
  });
});

describe('spikes', () => {
  it('reports recent spikes across series', () => {
    const loss = series('loss', (i) => (i === 97 ? 10 : 1 + wiggle(i)));
    const kl = series('objective/kl', (i) => 2 + wiggle(i));
    const s = spikes([loss, kl]);
    expect(s.state).toBe('warning');
    expect(s.value).toBe(1);
    expect(s.reason).toMatch(/loss at step 970/);
    expect(spikes([kl]).state).toBe('ok');
    expect(spikes([]).state).toBe('unknown');
  });
});

describe('lengthExploitation', () => {
  it('flags length growth while reward rises', () => {
    const reward = series('reward', (i) => i * 0.05);
    expect(
      lengthExploitation(
        series('completion_length', (i) => 100 + i * 3),
        reward
      ).state
    ).toBe('critical'); // 397/100
    expect(
      lengthExploitation(
        series('completion_length', (i) => 100 + i * 0.8),
        reward
      ).state
    ).toBe('warning'); // 1.8×
    expect(
      lengthExploitation(
        series('completion_length', () => 100),
        reward
      ).state
    ).toBe('ok');
    const falling = series('reward', (i) => -i * 0.05);
    expect(
      lengthExploitation(
        series('completion_length', (i) => 100 + i * 3),
        falling
      ).state
    ).toBe('ok');
    expect(lengthExploitation(undefined, reward).state).toBe('unknown');
  });
});

describe('stalled', () => {
  it('grades the time since the last update', () => {
    expect(stalled(T0, T0 + 5 * MIN, false).state).toBe('ok');
    const warn = stalled(T0, T0 + 20 * MIN, false); // default limit 10 min, critical after 40
    expect(warn).toMatchObject({ state: 'warning', value: 1200, since: T0 });
    expect(stalled(T0, T0 + 41 * MIN, false).state).toBe('critical');
    expect(stalled(T0, T0 + 600 * MIN, true).state).toBe('ok');
    expect(stalled(null, T0, false).state).toBe('unknown');
  });
});

describe('eta', () => {
  it('computes the rate over the last hour and the remaining time (by hand)', () => {
    // 10 steps per minute = 600 steps/h; at step 990 of 2000, 1010 steps remain: 101 min = 6060 s.
    const pts = series('x', () => 0).points;
    const e = eta(pts, 2000);
    expect(e.step).toBe(990);
    expect(e.steps_per_hour).toBeCloseTo(600, 9);
    expect(e.eta_seconds).toBeCloseTo(6060, 6);
    expect(e.eta_time).toBe(T0 + 99 * MIN + 6060 * 1000);
    expect(e.progress).toBeCloseTo(0.495, 12);
  });

  it('finished, unknown max_steps, one point and no points', () => {
    const pts = series('x', () => 0).points;
    expect(eta(pts, 500)).toMatchObject({ eta_seconds: 0, progress: 1 });
    expect(eta(pts, null)).toMatchObject({ eta_seconds: null, progress: null, steps_per_hour: expect.closeTo(600, 9) });
    expect(eta([{ ts: T0, step: 5 }], 100)).toMatchObject({ step: 5, steps_per_hour: null, eta_seconds: null });
    expect(eta([], 100).step).toBeNull();
  });
});

describe('overallState', () => {
  it('takes the worst known state', () => {
    const mk = (state: 'ok' | 'warning' | 'critical' | 'unknown') => ({
      signal: 's',
      state,
      value: null,
      reason: '',
      since: null,
      metric: null,
    });
    expect(overallState([mk('ok'), mk('critical'), mk('unknown')])).toBe('critical');
    expect(overallState([mk('unknown')])).toBe('unknown');
    expect(overallState([])).toBe('unknown');
  });
});
