// Phase states (ok / warning / critical / unknown) from already-fetched figures: pure rules, no I/O.
// The rules and their thresholds are documented in server/src/demo/README.md ("Phase status rules");
// query/status.ts fetches the inputs from the store.
import {
  ECE_BANDS,
  type Phase,
  type PhaseState,
  PSI_BANDS,
  SERVING_SLO,
  STATUS_WINDOW_HOURS,
} from '@rlhf-monitor/contract';
import { DEFAULT_HEALTH, rewardHacking, type NamedSeries, type Signal } from './health';

export type PhaseName = Phase;
export type { PhaseState };

export interface PhaseStatus {
  phase: PhaseName;
  state: PhaseState;
  reason: string;
  /** Time (ms) of the newest data the state was derived from; null when there was none. */
  updated: number | null;
}

export interface StatusThresholds {
  /** A run with no new step for this long (and short of max_steps) is stalled. */
  stalledAfterMs: number;
  /** Runs silent for longer than this are finished or abandoned and no longer judged. */
  activeWindowMs: number;
  /** Reward hacking: smoothed KL (nats) above this budget while KL and reward trend up over `hackingPoints` logs. */
  klBudget: number;
  hackingPoints: number;
  /** Deployment critical above these (latest value of any current series); warning above `warningFraction` of them. */
  errorRate: number;
  latencyP99Ms: number;
  warningFraction: number;
  /** Deployment series not reported for this long are ignored (retired versions). */
  deploymentStaleMs: number;
  /** Data warning when the latest reject rate exceeds this, or Krippendorff's alpha falls below `minAlpha`. */
  rejectRate: number;
  minAlpha: number;
  /** Window (ms) for agreement, calibration and the drift current population. */
  recentWindowMs: number;
  /** Window (ms) for the drift reference population. */
  referenceWindowMs: number;
  /** Fewer annotated items / predictions / samples than this: the statistic is not judged. */
  minCount: number;
  /** Evaluation warning above these. */
  maxEce: number;
  maxPsi: number;
  referenceSource: string;
  currentSource: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_STATUS_THRESHOLDS: StatusThresholds = {
  // The training rules share the health query's defaults, so the two never disagree.
  stalledAfterMs: DEFAULT_HEALTH.stallSeconds * 1000,
  activeWindowMs: 24 * HOUR,
  klBudget: DEFAULT_HEALTH.klBudget,
  hackingPoints: DEFAULT_HEALTH.window,
  errorRate: SERVING_SLO.errorRate,
  latencyP99Ms: SERVING_SLO.latencyP99Ms,
  warningFraction: SERVING_SLO.warningFraction,
  deploymentStaleMs: 15 * MINUTE,
  rejectRate: 0.05,
  minAlpha: 0.4,
  recentWindowMs: STATUS_WINDOW_HOURS.recent * HOUR,
  referenceWindowMs: STATUS_WINDOW_HOURS.reference * HOUR,
  minCount: 30,
  maxEce: ECE_BANDS.warning,
  maxPsi: PSI_BANDS.major,
  referenceSource: 'training',
  currentSource: 'production',
};

/**
 * How long a status judged as of now is shared (query/status.ts, sharedStatus): the status query, GET /metrics
 * and the home page asked within this many ms reuse one computation, while no record has been stored since or
 * while it is still running. Shorter than any scrape or refresh interval, so none of them sees an older state.
 */
export const STATUS_REUSE_MS = 5_000;

/** Environment variable for each threshold, and the unit it is given in. */
export const STATUS_ENV: {
  [K in keyof StatusThresholds]: { env: string; unit: 'minutes' | 'hours' | 'number' | 'string' };
} = {
  stalledAfterMs: { env: 'RLHF_STATUS_STALLED_MINUTES', unit: 'minutes' },
  activeWindowMs: { env: 'RLHF_STATUS_ACTIVE_HOURS', unit: 'hours' },
  klBudget: { env: 'RLHF_STATUS_KL_BUDGET', unit: 'number' },
  hackingPoints: { env: 'RLHF_STATUS_HACKING_POINTS', unit: 'number' },
  errorRate: { env: 'RLHF_STATUS_ERROR_RATE', unit: 'number' },
  latencyP99Ms: { env: 'RLHF_STATUS_P99_MS', unit: 'number' },
  warningFraction: { env: 'RLHF_STATUS_WARNING_FRACTION', unit: 'number' },
  deploymentStaleMs: { env: 'RLHF_STATUS_DEPLOYMENT_STALE_MINUTES', unit: 'minutes' },
  rejectRate: { env: 'RLHF_STATUS_REJECT_RATE', unit: 'number' },
  minAlpha: { env: 'RLHF_STATUS_MIN_ALPHA', unit: 'number' },
  recentWindowMs: { env: 'RLHF_STATUS_RECENT_HOURS', unit: 'hours' },
  referenceWindowMs: { env: 'RLHF_STATUS_REFERENCE_HOURS', unit: 'hours' },
  minCount: { env: 'RLHF_STATUS_MIN_COUNT', unit: 'number' },
  maxEce: { env: 'RLHF_STATUS_MAX_ECE', unit: 'number' },
  maxPsi: { env: 'RLHF_STATUS_MAX_PSI', unit: 'number' },
  referenceSource: { env: 'RLHF_STATUS_REFERENCE_SOURCE', unit: 'string' },
  currentSource: { env: 'RLHF_STATUS_CURRENT_SOURCE', unit: 'string' },
};

/** Defaults overridden by any RLHF_STATUS_* variables present; a malformed number is an error, not ignored. */
export function statusThresholdsFrom(env: Record<string, string | undefined>): StatusThresholds {
  const out: Record<string, number | string> = { ...DEFAULT_STATUS_THRESHOLDS };
  for (const [key, { env: name, unit }] of Object.entries(STATUS_ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') {
      continue;
    }
    if (unit === 'string') {
      out[key] = raw;
      continue;
    }
    const v = Number(raw);
    if (!Number.isFinite(v) || v < 0) {
      throw new Error(`${name} must be a non-negative number, got "${raw}"`);
    }
    out[key] = unit === 'minutes' ? v * MINUTE : unit === 'hours' ? v * HOUR : v;
  }
  return out as unknown as StatusThresholds;
}

// ---------------------------------------------------------------------------------------------------------------
// Training

/**
 * The reward-hacking rule, shared with the training-health panel (analytics/health.ts, `rewardHacking`;
 * Gao, Schulman & Hilton 2023): critical when the smoothed KL is over the budget and both KL and reward trend up
 * over the last `hackingPoints` logs; warning when the KL is over the budget alone.
 */
export function hackingSignal(
  reward: NamedSeries | undefined,
  kl: NamedSeries | undefined,
  th: Pick<StatusThresholds, 'klBudget' | 'hackingPoints'> = DEFAULT_STATUS_THRESHOLDS
): Signal {
  return rewardHacking(reward, kl, { ...DEFAULT_HEALTH, klBudget: th.klBudget, window: th.hackingPoints });
}

export interface RunSnapshot {
  run: string;
  /** Newest step seen and when (ms). */
  lastStep: number;
  lastUpdate: number;
  maxSteps: number | null;
  /** Recent points ascending by step; undefined when the run logs no such metric. */
  reward?: NamedSeries;
  kl?: NamedSeries;
  entropy?: NamedSeries;
}

const fmt = (x: number, digits = 2) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits));

export function trainingStatus(
  runs: RunSnapshot[],
  now: number,
  th: StatusThresholds = DEFAULT_STATUS_THRESHOLDS
): PhaseStatus {
  const active = runs.filter((r) => now - r.lastUpdate <= th.activeWindowMs);
  const updated = active.length ? Math.max(...active.map((r) => r.lastUpdate)) : null;
  if (!active.length) {
    return {
      phase: 'training',
      state: 'unknown',
      reason: `no training steps logged in the last ${duration(th.activeWindowMs)}`,
      updated,
    };
  }
  const finished = (r: RunSnapshot) => r.maxSteps !== null && r.lastStep >= r.maxSteps;

  const judged = active.map((r) => ({ r, signal: hackingSignal(r.reward, r.kl, th) }));
  const show = ({ r, signal }: (typeof judged)[number]) => {
    const e = r.entropy?.points.at(-1);
    const what = signal.state === 'critical' ? 'reward hacking: ' : '';
    return `${r.run}: ${what}${signal.reason}${e ? `; entropy ${fmt(e.value)}` : ''}`;
  };
  const critical = judged.filter((j) => j.signal.state === 'critical');
  if (critical.length) {
    return { phase: 'training', state: 'critical', reason: critical.map(show).join('; '), updated };
  }
  const warnings = judged.filter((j) => j.signal.state === 'warning').map(show);
  for (const r of active) {
    if (!finished(r) && now - r.lastUpdate > th.stalledAfterMs) {
      const mins = Math.round((now - r.lastUpdate) / MINUTE);
      warnings.push(`${r.run} stalled: no new step for ${mins} min at ${progress(r)}`);
    }
  }
  if (warnings.length) {
    return { phase: 'training', state: 'warning', reason: warnings.join('; '), updated };
  }
  const reason = active.map((r) => `${r.run} ${finished(r) ? 'finished' : progress(r)}`).join('; ');
  return { phase: 'training', state: 'ok', reason, updated };
}

function progress(r: RunSnapshot): string {
  return r.maxSteps
    ? `step ${r.lastStep}/${r.maxSteps} (${Math.round((100 * r.lastStep) / r.maxSteps)}%)`
    : `step ${r.lastStep}`;
}

function duration(ms: number): string {
  return ms % HOUR === 0 ? `${ms / HOUR} h` : `${Math.round(ms / MINUTE)} min`;
}

// ---------------------------------------------------------------------------------------------------------------
// Deployment

export interface DeploymentReading {
  run: string;
  labels: Record<string, string>;
  /** `error_rate` (fraction) or `latency_p99_ms`. */
  name: string;
  value: number;
  ts: number;
}

export function deploymentStatus(
  latest: DeploymentReading[],
  now: number,
  th: StatusThresholds = DEFAULT_STATUS_THRESHOLDS
): PhaseStatus {
  const current = latest.filter((p) => now - p.ts <= th.deploymentStaleMs);
  if (!current.length) {
    return {
      phase: 'deployment',
      state: 'unknown',
      reason: `no error_rate or latency_p99_ms reported in the last ${duration(th.deploymentStaleMs)}`,
      updated: latest.length ? Math.max(...latest.map((p) => p.ts)) : null,
    };
  }
  const updated = Math.max(...current.map((p) => p.ts));
  const limit = (name: string) => (name === 'error_rate' ? th.errorRate : th.latencyP99Ms);
  const show = (p: DeploymentReading) => {
    const where = [p.run, ...Object.values(p.labels)].join(' ');
    return p.name === 'error_rate'
      ? `${where}: error rate ${(100 * p.value).toFixed(1)}% (limit ${(100 * th.errorRate).toFixed(1)}%)`
      : `${where}: p99 ${Math.round(p.value)} ms (SLO ${th.latencyP99Ms} ms)`;
  };
  const over = current.filter((p) => p.value > limit(p.name));
  if (over.length) {
    return { phase: 'deployment', state: 'critical', reason: over.map(show).join('; '), updated };
  }
  const near = current.filter((p) => p.value > limit(p.name) * th.warningFraction);
  if (near.length) {
    return { phase: 'deployment', state: 'warning', reason: near.map(show).join('; '), updated };
  }
  const worstErr = Math.max(-1, ...current.filter((p) => p.name === 'error_rate').map((p) => p.value));
  const worstP99 = Math.max(-1, ...current.filter((p) => p.name === 'latency_p99_ms').map((p) => p.value));
  const parts = [
    worstErr >= 0 ? `error rate ${(100 * worstErr).toFixed(2)}%` : '',
    worstP99 >= 0 ? `p99 ${Math.round(worstP99)} ms` : '',
  ].filter(Boolean);
  return { phase: 'deployment', state: 'ok', reason: `${parts.join(', ')} (worst current series)`, updated };
}

// ---------------------------------------------------------------------------------------------------------------
// Data

export interface DataInputs {
  /** Latest reject_rate per data-phase run. */
  rejectRates: Array<{ run: string; value: number; ts: number }>;
  /** Krippendorff's alpha per dataset over the recent window (null: not computable). */
  agreement: Array<{ dataset: string; alpha: number | null; items: number; ts: number }>;
}

export function dataStatus(d: DataInputs, th: StatusThresholds = DEFAULT_STATUS_THRESHOLDS): PhaseStatus {
  const times = [...d.rejectRates.map((r) => r.ts), ...d.agreement.map((a) => a.ts)];
  if (!times.length) {
    return { phase: 'data', state: 'unknown', reason: 'no reject_rate metrics or annotations', updated: null };
  }
  const updated = Math.max(...times);
  const judged = d.agreement.filter((a) => a.alpha !== null && a.items >= th.minCount);
  const problems = [
    ...d.rejectRates
      .filter((r) => r.value > th.rejectRate)
      .map((r) => `${r.run}: reject rate ${(100 * r.value).toFixed(1)}% > ${(100 * th.rejectRate).toFixed(0)}%`),
    ...judged
      .filter((a) => a.alpha! < th.minAlpha)
      .map((a) => `${a.dataset}: Krippendorff's alpha ${a.alpha!.toFixed(2)} < ${th.minAlpha}`),
  ];
  if (problems.length) {
    return { phase: 'data', state: 'warning', reason: problems.join('; '), updated };
  }
  const parts = [
    ...d.rejectRates.map((r) => `${r.run} reject rate ${(100 * r.value).toFixed(1)}%`),
    ...judged.map((a) => `${a.dataset} alpha ${a.alpha!.toFixed(2)}`),
  ];
  return { phase: 'data', state: 'ok', reason: parts.join('; ') || 'too few annotations to judge agreement', updated };
}

// ---------------------------------------------------------------------------------------------------------------
// Evaluation

export interface EvaluationInputs {
  calibration: Array<{ model: string; ece: number | null; count: number; ts: number }>;
  drift: Array<{ feature: string; psi: number | null; currentCount: number; referenceCount: number; ts: number }>;
  /** Newest evaluation-phase metric (eval/accuracy etc.), for `updated` and to tell "no data" from "quiet". */
  lastMetricTs: number | null;
}

export function evaluationStatus(e: EvaluationInputs, th: StatusThresholds = DEFAULT_STATUS_THRESHOLDS): PhaseStatus {
  const times = [...e.calibration.map((c) => c.ts), ...e.drift.map((d) => d.ts)];
  if (e.lastMetricTs !== null) {
    times.push(e.lastMetricTs);
  }
  if (!times.length) {
    return {
      phase: 'evaluation',
      state: 'unknown',
      reason: 'no predictions, samples or evaluation metrics',
      updated: null,
    };
  }
  const updated = Math.max(...times);
  const cal = e.calibration.filter((c) => c.ece !== null && c.count >= th.minCount);
  const drift = e.drift.filter(
    (d) => d.psi !== null && d.currentCount >= th.minCount && d.referenceCount >= th.minCount
  );
  const problems = [
    ...cal.filter((c) => c.ece! > th.maxEce).map((c) => `${c.model}: ECE ${c.ece!.toFixed(3)} > ${th.maxEce}`),
    ...drift.filter((d) => d.psi! > th.maxPsi).map((d) => `${d.feature}: PSI ${d.psi!.toFixed(2)} > ${th.maxPsi}`),
  ];
  if (problems.length) {
    return { phase: 'evaluation', state: 'warning', reason: problems.join('; '), updated };
  }
  const parts = [
    ...cal.map((c) => `${c.model} ECE ${c.ece!.toFixed(3)}`),
    ...drift.map((d) => `${d.feature} PSI ${d.psi!.toFixed(2)}`),
  ];
  return { phase: 'evaluation', state: 'ok', reason: parts.join('; ') || 'evaluation metrics only', updated };
}
