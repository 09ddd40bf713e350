// Training-health signals over the metric series of one run: reward hacking, entropy collapse, value-loss
// explosion, loss/reward spikes, length exploitation, stalled progress, and the ETA. Each signal is a pure
// function of ascending series; thresholds are options with defaults documented in docs/query-types.md ("health").

import { detectSpikes, emaDebiased, median, robustZScores, slope } from './smoothing';

export interface SeriesPoint {
  ts: number;
  step: number | null;
  value: number;
}

export interface NamedSeries {
  name: string;
  points: SeriesPoint[];
}

export type SignalState = 'ok' | 'warning' | 'critical' | 'unknown';

export interface Signal {
  signal: string;
  state: SignalState;
  /** The figure the state was judged on (see each signal); null when unknown. */
  value: number | null;
  reason: string;
  /** When the current state began (epoch ms), or null. */
  since: number | null;
  /** Metric name(s) the signal read. */
  metric: string | null;
}

export interface HealthOptions {
  /** TensorBoard smoothing weight for every judged series. */
  smoothing: number;
  /** Points that make up "recent" (trend, spikes) and the baseline at the start. */
  window: number;
  /** KL (in the trainer's own units) above which the policy has drifted too far from the reference. */
  klBudget: number;
  /** Entropy below this share of its starting value: warning / critical. */
  entropyWarn: number;
  entropyCritical: number;
  /** Smoothed value loss above this multiple of its earlier median: critical. */
  valueLossFactor: number;
  /** Robust z-score above which a point is a spike (Iglewicz & Hoaglin 1993). */
  spikeZ: number;
  /** No new point for this long: warning; four times as long: critical. */
  stallSeconds: number;
  /** Response length above this multiple of its start while reward rises: warning; lengthCritical: critical. */
  lengthWarn: number;
  lengthCritical: number;
}

/** Defaults; the `status` query's training rules take their KL budget, window and stall time from here. */
export const DEFAULT_HEALTH: HealthOptions = {
  smoothing: 0.6,
  window: 20,
  klBudget: 0.5,
  entropyWarn: 0.3,
  entropyCritical: 0.1,
  valueLossFactor: 10,
  spikeZ: 6,
  stallSeconds: 600,
  lengthWarn: 1.5,
  lengthCritical: 2,
};

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(2));
const at = (p: SeriesPoint) => (p.step !== null ? `step ${p.step}` : new Date(p.ts).toISOString());

function unknown(signal: string, reason: string, metric: string | null = null): Signal {
  return { signal, state: 'unknown', value: null, reason, since: null, metric };
}

function smoothed(s: NamedSeries, o: HealthOptions): Float64Array {
  return emaDebiased(
    s.points.map((p) => p.value),
    o.smoothing
  );
}

/** Timestamp where the trailing run of points satisfying `pred` (on the smoothed values) starts. */
function trailingSince(s: NamedSeries, values: ArrayLike<number>, pred: (v: number) => boolean): number | null {
  let i = values.length - 1;
  if (i < 0 || !pred(values[i])) {
    return null;
  }
  while (i > 0 && pred(values[i - 1])) {
    i--;
  }
  return s.points[i].ts;
}

/** Least-squares slope of the last `window` smoothed values per point (sign = trend). */
function recentTrend(values: ArrayLike<number>, window: number): number {
  const start = Math.max(0, values.length - window);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = start; i < values.length; i++) {
    x.push(i);
    y.push(values[i]);
  }
  return slope(x, y);
}

/** Median of the first `window` raw values: the run's starting level. */
function baseline(s: NamedSeries, window: number): number {
  return median(s.points.slice(0, Math.max(1, Math.min(window, s.points.length))).map((p) => p.value));
}

/**
 * Reward hacking (Gao, Schulman & Hilton 2023, "Scaling Laws for Reward Model Overoptimization"): the reward keeps
 * rising while the policy's KL from the reference grows past a budget. critical: smoothed KL > budget, KL rising
 * and reward rising; warning: KL > budget; critical also when the recent mean KL is negative (a KL estimate below 0
 * means the estimator is being exploited or sampling differs from the reference; TRL docs, "PPO Trainer").
 * value = smoothed KL.
 */
export function rewardHacking(
  reward: NamedSeries | undefined,
  kl: NamedSeries | undefined,
  o: HealthOptions = DEFAULT_HEALTH
): Signal {
  const signal = 'reward_hacking';
  if (!kl || kl.points.length === 0) {
    return unknown(signal, 'no KL metric for this run', reward?.name ?? null);
  }
  const metric = reward ? `${reward.name}, ${kl.name}` : kl.name;
  const k = smoothed(kl, o);
  const latest = k[k.length - 1];
  const recent = kl.points.slice(-o.window);
  const recentMean = recent.reduce((s, p) => s + p.value, 0) / recent.length;
  if (recentMean < 0) {
    return {
      signal,
      state: 'critical',
      value: recentMean,
      reason: `KL is negative (mean ${fmt(recentMean)} over the last ${recent.length} points): the policy is exploiting the KL estimate or generation settings differ from the reference`,
      since: trailingSince(kl, k, (v) => v < 0),
      metric,
    };
  }
  const klRising = recentTrend(k, o.window) > 0;
  const r = reward && reward.points.length > 1 ? smoothed(reward, o) : null;
  const rewardRising = r !== null && recentTrend(r, o.window) > 0;
  const since = trailingSince(kl, k, (v) => v > o.klBudget);
  if (latest > o.klBudget && klRising && rewardRising) {
    return {
      signal,
      state: 'critical',
      value: latest,
      reason: `reward rising while KL ${fmt(latest)} exceeds the budget ${fmt(o.klBudget)} and keeps growing`,
      since,
      metric,
    };
  }
  if (latest > o.klBudget) {
    return {
      signal,
      state: 'warning',
      value: latest,
      reason: `KL ${fmt(latest)} above the budget ${fmt(o.klBudget)}${klRising ? ' and growing' : ''}`,
      since,
      metric,
    };
  }
  return {
    signal,
    state: 'ok',
    value: latest,
    reason: `KL ${fmt(latest)} within the budget ${fmt(o.klBudget)}${rewardRising ? ', reward rising' : ''}`,
    since: null,
    metric,
  };
}

/**
 * Entropy collapse: the policy's entropy falls to a small share of its starting level (the median of the first
 * `window` points), i.e. it has become near-deterministic and stopped exploring. value = smoothed entropy.
 */
export function entropyCollapse(entropy: NamedSeries | undefined, o: HealthOptions = DEFAULT_HEALTH): Signal {
  const signal = 'entropy_collapse';
  if (!entropy || entropy.points.length < 2) {
    return unknown(signal, entropy ? 'not enough entropy points yet' : 'no entropy metric for this run', entropy?.name);
  }
  const start = baseline(entropy, o.window);
  if (!(start > 0)) {
    return unknown(signal, `starting entropy ${fmt(start)} is not positive`, entropy.name);
  }
  const e = smoothed(entropy, o);
  const latest = e[e.length - 1];
  const ratio = latest / start;
  const state: SignalState = ratio < o.entropyCritical ? 'critical' : ratio < o.entropyWarn ? 'warning' : 'ok';
  const limit = state === 'critical' ? o.entropyCritical : o.entropyWarn;
  return {
    signal,
    state,
    value: latest,
    reason: `entropy ${fmt(latest)} is ${(ratio * 100).toFixed(0)}% of its starting ${fmt(start)}`,
    since: state === 'ok' ? null : trailingSince(entropy, e, (v) => v / start < limit),
    metric: entropy.name,
  };
}

/**
 * Value-loss explosion: the critic's loss runs away. critical: smoothed value loss above `valueLossFactor` times the
 * median before the recent window; warning: an upward spike (robust z > spikeZ) within the recent window.
 * value = smoothed value loss.
 */
export function valueLossExplosion(valueLoss: NamedSeries | undefined, o: HealthOptions = DEFAULT_HEALTH): Signal {
  const signal = 'value_loss_explosion';
  if (!valueLoss || valueLoss.points.length < 3) {
    return unknown(
      signal,
      valueLoss ? 'not enough value-loss points yet' : 'no value-loss metric for this run',
      valueLoss?.name
    );
  }
  const pts = valueLoss.points;
  const earlier =
    pts.length > 2 * o.window ? pts.slice(0, pts.length - o.window) : pts.slice(0, Math.ceil(pts.length / 2));
  const base = Math.max(median(earlier.map((p) => Math.abs(p.value))), 1e-12);
  const v = smoothed(valueLoss, o);
  const latest = v[v.length - 1];
  if (latest > o.valueLossFactor * base) {
    return {
      signal,
      state: 'critical',
      value: latest,
      reason: `value loss ${fmt(latest)} is ${fmt(latest / base)}× its earlier median ${fmt(base)}`,
      since: trailingSince(valueLoss, v, (x) => x > o.valueLossFactor * base),
      metric: valueLoss.name,
    };
  }
  // Only the recent window is judged: score only it.
  const z = robustZScores(
    pts.map((p) => p.value),
    o.window,
    undefined,
    pts.length - o.window
  );
  for (let i = Math.max(0, pts.length - o.window); i < pts.length; i++) {
    if (z[i] > o.spikeZ) {
      return {
        signal,
        state: 'warning',
        value: latest,
        reason: `value-loss spike to ${fmt(pts[i].value)} at ${at(pts[i])} (robust z ${Number.isFinite(z[i]) ? z[i].toFixed(1) : '∞'})`,
        since: pts[i].ts,
        metric: valueLoss.name,
      };
    }
  }
  return {
    signal,
    state: 'ok',
    value: latest,
    reason: `value loss ${fmt(latest)}, earlier median ${fmt(base)}`,
    since: null,
    metric: valueLoss.name,
  };
}

/** Spikes (robust z > spikeZ against the preceding window) in the recent window of any given series: warning. */
export function spikes(series: NamedSeries[], o: HealthOptions = DEFAULT_HEALTH): Signal {
  const signal = 'spikes';
  if (series.length === 0) {
    return unknown(signal, 'no loss, reward or KL metric for this run');
  }
  const found: Array<{ name: string; p: SeriesPoint }> = [];
  for (const s of series) {
    const idx = detectSpikes(
      s.points.map((p) => p.value),
      { window: o.window, threshold: o.spikeZ, from: s.points.length - o.window }
    );
    for (const i of idx) {
      if (i >= s.points.length - o.window) {
        found.push({ name: s.name, p: s.points[i] });
      }
    }
  }
  const metric = series.map((s) => s.name).join(', ');
  if (found.length === 0) {
    return { signal, state: 'ok', value: 0, reason: `no spikes in the last ${o.window} points`, since: null, metric };
  }
  found.sort((a, b) => a.p.ts - b.p.ts);
  const list = found
    .slice(0, 3)
    .map((f) => `${f.name} at ${at(f.p)}`)
    .join(', ');
  return {
    signal,
    state: 'warning',
    value: found.length,
    reason: `${found.length} spike(s) in the last ${o.window} points: ${list}${found.length > 3 ? ', ...' : ''}`,
    since: found[0].p.ts,
    metric,
  };
}

/**
 * Length exploitation (Singhal et al. 2023, "A Long Way to Go: Investigating Length Correlations in RLHF"): the
 * policy gains reward by writing longer responses. Response length above lengthWarn / lengthCritical times its
 * start while the reward rises. value = length / starting length.
 */
export function lengthExploitation(
  length: NamedSeries | undefined,
  reward: NamedSeries | undefined,
  o: HealthOptions = DEFAULT_HEALTH
): Signal {
  const signal = 'length_exploitation';
  if (!length || length.points.length < 2) {
    return unknown(
      signal,
      length ? 'not enough response-length points yet' : 'no response-length metric for this run',
      length?.name
    );
  }
  const start = baseline(length, o.window);
  if (!(start > 0)) {
    return unknown(signal, 'starting response length is not positive', length.name);
  }
  const l = smoothed(length, o);
  const ratio = l[l.length - 1] / start;
  const rewardRising = !!reward && reward.points.length > 1 && recentTrend(smoothed(reward, o), o.window) > 0;
  const state: SignalState =
    rewardRising && ratio > o.lengthCritical ? 'critical' : rewardRising && ratio > o.lengthWarn ? 'warning' : 'ok';
  return {
    signal,
    state,
    value: ratio,
    reason: `response length ${(ratio * 100).toFixed(0)}% of its start${rewardRising ? ' while reward rises' : ''}`,
    since:
      state === 'ok'
        ? null
        : trailingSince(length, l, (v) => v / start > (state === 'critical' ? o.lengthCritical : o.lengthWarn)),
    metric: reward ? `${length.name}, ${reward.name}` : length.name,
  };
}

/** Stalled progress: no new metric point for stallSeconds (warning) or 4× that (critical), unless finished. */
export function stalled(
  lastUpdate: number | null,
  now: number,
  finished: boolean,
  o: HealthOptions = DEFAULT_HEALTH
): Signal {
  const signal = 'stalled';
  if (lastUpdate === null) {
    return unknown(signal, 'no metric points for this run');
  }
  const age = Math.max(0, (now - lastUpdate) / 1000);
  if (finished) {
    return { signal, state: 'ok', value: age, reason: 'run finished (max_steps reached)', since: null, metric: null };
  }
  const state: SignalState = age > 4 * o.stallSeconds ? 'critical' : age > o.stallSeconds ? 'warning' : 'ok';
  const mins = age / 60;
  return {
    signal,
    state,
    value: age,
    reason: `last update ${mins >= 1 ? `${mins.toFixed(0)} min` : `${age.toFixed(0)} s`} ago${state === 'ok' ? '' : ` (limit ${o.stallSeconds / 60} min)`}`,
    since: state === 'ok' ? null : lastUpdate,
    metric: null,
  };
}

export interface Eta {
  step: number | null;
  max_steps: number | null;
  /** step / max_steps in [0, 1]. */
  progress: number | null;
  steps_per_hour: number | null;
  eta_seconds: number | null;
  /** Expected finish (epoch ms): the last update plus eta_seconds. */
  eta_time: number | null;
}

/**
 * ETA from the step rate: rate = Δstep/Δt over the points of the last `rateWindowMs` of the run (all points if
 * fewer than two fall inside), eta = (max_steps − step) / rate, counted from the last update.
 */
export function eta(
  points: Array<{ ts: number; step: number | null }>,
  maxSteps: number | null,
  rateWindowMs = 3_600_000
): Eta {
  const pts = points.filter((p): p is { ts: number; step: number } => p.step !== null);
  const empty: Eta = {
    step: null,
    max_steps: maxSteps,
    progress: null,
    steps_per_hour: null,
    eta_seconds: null,
    eta_time: null,
  };
  if (pts.length === 0) {
    return empty;
  }
  const last = pts[pts.length - 1];
  let first = pts[0];
  for (let i = pts.length - 2; i >= 0 && last.ts - pts[i].ts <= rateWindowMs; i--) {
    first = pts[i];
  }
  if (first === last && pts.length > 1) {
    first = pts[pts.length - 2];
  }
  const dt = last.ts - first.ts;
  const rate = dt > 0 ? (last.step - first.step) / dt : Number.NaN; // steps per ms
  const step = last.step;
  const finished = maxSteps !== null && step >= maxSteps;
  const etaSeconds = finished ? 0 : maxSteps !== null && rate > 0 ? (maxSteps - step) / rate / 1000 : null;
  return {
    step,
    max_steps: maxSteps,
    progress: maxSteps ? Math.min(1, step / maxSteps) : null,
    steps_per_hour: Number.isFinite(rate) ? rate * 3_600_000 : null,
    eta_seconds: etaSeconds,
    eta_time: etaSeconds === null ? null : last.ts + etaSeconds * 1000,
  };
}

const STATE_RANK: Record<SignalState, number> = { unknown: -1, ok: 0, warning: 1, critical: 2 };

/** The worst known state of a list of signals ('unknown' only when all are unknown). */
export function overallState(signals: Signal[]): SignalState {
  let worst: SignalState = 'unknown';
  for (const s of signals) {
    if (STATE_RANK[s.state] > STATE_RANK[worst]) {
      worst = s.state;
    }
  }
  return worst;
}
