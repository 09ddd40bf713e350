// The `status` query type: one row per phase (phase, state, reason, updated), judged as of the end of the
// dashboard's time range (or now, if earlier), so scrolling back in time shows the states of that moment.
// Fetches the inputs here; the rules themselves are pure, in analytics/status.ts.
import { krippendorffAlpha } from '../analytics/agreement';
import { calibration, frame, FRAMES, type Phase, psi, STATE_CODE } from '@rlhf-monitor/contract';
import type { NamedSeries } from '../analytics/health';
import { METRIC_NAMES } from '../analytics/metricNames';
import {
  dataStatus,
  deploymentStatus,
  evaluationStatus,
  trainingStatus,
  type PhaseStatus,
  type RunSnapshot,
  type StatusThresholds,
} from '../analytics/status';
import type { Series, Store } from '../store/types';
import type { QueryModule } from './types';

/** Metric names read as KL / reward / entropy (TRL, OpenRLHF, veRL), earlier names first. */
const names = (role: keyof typeof METRIC_NAMES) => METRIC_NAMES[role].map((m) => m.name);
export const KL_METRICS = names('kl');
export const REWARD_METRICS = names('reward');
export const ENTROPY_METRICS = names('entropy');

/** The first of `names` that the run logs (unlabelled series), ascending by step (then time). */
function seriesOf(series: Series[], names: string[]): NamedSeries | undefined {
  for (const name of names) {
    const s = series.find((x) => x.name === name && Object.keys(x.labels).length === 0);
    if (s) {
      return { name, points: [...s.points].sort((a, b) => (a.step ?? 0) - (b.step ?? 0) || a.ts - b.ts) };
    }
  }
  return undefined;
}

const hasLabels = (labels: Record<string, string>) => Object.keys(labels).length > 0;

/**
 * Each series' newest point in the `windowMs` before `at`, of one phase: the store's per-series latest point
 * (from memory, see ingest/latest.ts) where it is not after `at`; the points up to `at` for series that have
 * newer ones (status judged in the past).
 */
async function latestAsOf(store: Store, phase: Phase, at: number, windowMs: number) {
  const latest = await store.latest({ phase });
  const now = latest.filter((p) => p.ts <= at && p.ts >= at - windowMs);
  if (now.length === latest.length || latest.every((p) => p.ts <= at)) {
    return now;
  }
  const newer = new Set(latest.filter((p) => p.ts > at).map((p) => JSON.stringify([p.run, p.name, p.labels])));
  const series = await store.series({ phase, range: { from: at - windowMs, to: at } });
  for (const s of series) {
    const p = s.points.at(-1);
    if (p && newer.has(JSON.stringify([s.run, s.name, s.labels]))) {
      now.push({ run: s.run, name: s.name, phase: s.phase, labels: s.labels, ...p });
    }
  }
  return now;
}

/**
 * The newest points (at least TAIL_POINTS, else all in the active window) of one unlabelled training series
 * before `at`. The rules read the last `hackingPoints` of an EMA whose weight on a point TAIL_POINTS back is
 * below 1e-40, so the tail gives the same figures as the whole window, at a cost that does not grow with it:
 * ranges double from one minute back until they hold enough points.
 */
async function recentPoints(store: Store, run: string, name: string, at: number, th: StatusThresholds) {
  const want = Math.max(TAIL_POINTS, 10 * th.hackingPoints);
  for (let span = 60_000; ; span *= 2) {
    const from = Math.max(at - span, at - th.activeWindowMs);
    const series = (await store.series({ phase: 'training', runs: [run], metrics: [name], range: { from, to: at } }))
      // the names are patterns to the store: keep the exact series
      .filter((x) => x.run === run && x.name === name && !hasLabels(x.labels));
    if (from === at - th.activeWindowMs || (series[0]?.points.length ?? 0) >= want) {
      return series;
    }
  }
}

const TAIL_POINTS = 256;

async function training(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  // Progress per run from each series' newest point; points are read only for the few series the rules
  // smooth (reward, KL, entropy), so the cost does not grow with a run's labelled system series.
  const progress = new Map<string, { lastStep: number; lastUpdate: number; maxSteps: number | null }>();
  const latest = await latestAsOf(store, 'training', at, th.activeWindowMs);
  for (const p of latest) {
    const r = progress.get(p.run) ?? { lastStep: -1, lastUpdate: -Infinity, maxSteps: null };
    if (p.name === 'max_steps' && !hasLabels(p.labels)) {
      r.maxSteps = p.value;
    }
    if (p.step !== null) {
      r.lastUpdate = Math.max(r.lastUpdate, p.ts);
      r.lastStep = Math.max(r.lastStep, p.step);
    }
    progress.set(p.run, r);
  }
  const unlabelled = new Set(latest.filter((p) => !hasLabels(p.labels)).map((p) => JSON.stringify([p.run, p.name])));
  const runs: RunSnapshot[] = [];
  for (const [run, r] of progress) {
    if (r.lastStep < 0) {
      continue; // system metrics only: not a training run we can judge
    }
    // The first name of each role the run logs, as seriesOf picks it.
    const curve = async (names: string[]) => {
      const name = names.find((n) => unlabelled.has(JSON.stringify([run, n])));
      return name === undefined ? undefined : seriesOf(await recentPoints(store, run, name, at, th), [name]);
    };
    runs.push({
      run,
      ...r,
      reward: await curve(REWARD_METRICS),
      kl: await curve(KL_METRICS),
      entropy: await curve(ENTROPY_METRICS),
    });
  }
  return trainingStatus(runs, at, th);
}

async function deployment(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  const names = new Set(['error_rate', 'latency_p99_ms']);
  const latest = (await latestAsOf(store, 'deployment', at, th.deploymentStaleMs)).filter((p) => names.has(p.name));
  return deploymentStatus(latest, at, th);
}

async function data(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  const recent = { from: at - th.recentWindowMs, to: at };
  const rejectRates = (await latestAsOf(store, 'data', at, th.recentWindowMs)).filter((p) => p.name === 'reject_rate');
  const agreement = [];
  for (const dataset of await store.catalog('datasets')) {
    const anns = await store.annotations({ dataset, range: recent });
    if (anns.length) {
      agreement.push({
        dataset,
        alpha: krippendorffAlpha(anns),
        items: new Set(anns.map((a) => a.item)).size,
        ts: anns[anns.length - 1].ts, // the store returns records by time
      });
    }
  }
  return dataStatus({ rejectRates, agreement }, th);
}

/**
 * PSI of every numeric feature's current source (last `recentWindowMs`) against its reference source
 * (last `referenceWindowMs`). Used by the evaluation rule and the rlhf_drift_psi Prometheus gauge.
 */
export async function featureDrift(store: Store, at: number, th: StatusThresholds) {
  const recent = { from: at - th.recentWindowMs, to: at };
  const drift = [];
  for (const feature of await store.catalog('features')) {
    const cur = await store.samples({ feature, source: th.currentSource, range: recent });
    if (!cur.length || typeof cur[0].value !== 'number') {
      continue; // categorical features: PSI over decile bins needs numbers
    }
    const ref = await store.samples({
      feature,
      source: th.referenceSource,
      range: { from: at - th.referenceWindowMs, to: at },
    });
    const r = ref.map((s) => s.value).filter((v): v is number => typeof v === 'number');
    const c = cur.map((s) => s.value).filter((v): v is number => typeof v === 'number');
    drift.push({
      feature,
      psi: r.length && c.length ? psi(r, c) : null,
      referenceCount: r.length,
      currentCount: c.length,
      ts: cur[cur.length - 1].ts,
    });
  }
  return drift;
}

async function evaluation(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  const recent = { from: at - th.recentWindowMs, to: at };
  const cal = [];
  for (const model of await store.catalog('models')) {
    const preds = await store.predictions({ model, range: recent });
    if (preds.length) {
      const c = calibration(
        preds.map((p) => p.confidence),
        preds.map((p) => p.correct)
      );
      cal.push({ model, ece: c.ece, count: c.count, ts: preds[preds.length - 1].ts });
    }
  }
  const drift = await featureDrift(store, at, th);
  const lastMetricTs = (await latestAsOf(store, 'evaluation', at, th.recentWindowMs)).reduce<number | null>(
    (m, p) => (m === null || p.ts > m ? p.ts : m),
    null
  );
  return evaluationStatus({ calibration: cal, drift, lastMetricTs }, th);
}

/** The four phase states as of `at` (ms). Also used for the rlhf_phase_state Prometheus gauge. */
export async function phaseStatuses(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus[]> {
  return Promise.all([
    data(store, at, th),
    training(store, at, th),
    evaluation(store, at, th),
    deployment(store, at, th),
  ]);
}

export const status: QueryModule<'status'> = {
  type: 'status',
  async run(_t, ctx) {
    const rows = await phaseStatuses(ctx.store, Math.min(ctx.now, ctx.range.to), ctx.status);
    return [
      frame(FRAMES.status.status, ctx.refId, [
        { name: 'phase', type: 'string', values: rows.map((r) => r.phase) },
        { name: 'state', type: 'string', values: rows.map((r) => r.state) },
        { name: 'reason', type: 'string', values: rows.map((r) => r.reason) },
        { name: 'updated', type: 'time', values: rows.map((r) => r.updated) },
        // Numeric twin of `state` (0 ok, 1 warning, 2 critical, -1 unknown) for thresholds and value mappings.
        { name: 'state_code', type: 'number', values: rows.map((r) => STATE_CODE[r.state]) },
      ]),
    ];
  },
};
