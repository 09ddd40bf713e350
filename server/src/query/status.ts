// The `status` query type: one row per phase (phase, state, reason, updated), judged as of the end of the
// dashboard's time range (or now, if earlier), so scrolling back in time shows the states of that moment.
// Fetches the inputs here; the rules themselves are pure, in analytics/status.ts.
import { z } from 'zod';
import { krippendorffAlpha } from '../analytics/agreement';
import { calibration } from '../analytics/calibration';
import { psi } from '../analytics/drift';
import type { NamedSeries } from '../analytics/health';
import { METRIC_NAMES } from '../analytics/metricNames';
import {
  STATE_CODE,
  dataStatus,
  deploymentStatus,
  evaluationStatus,
  statusThresholdsFrom,
  trainingStatus,
  type PhaseStatus,
  type RunSnapshot,
  type StatusThresholds,
} from '../analytics/status';
import type { Series, Store } from '../store/types';
import { frame } from './frames';
import type { QueryType } from './types';

/** Metric names read as KL / reward / entropy (TRL, OpenRLHF, veRL), earlier names first. */
const names = (role: keyof typeof METRIC_NAMES) => METRIC_NAMES[role].map((m) => m.name);
export const KL_METRICS = names('kl');
export const REWARD_METRICS = names('reward');
export const ENTROPY_METRICS = names('entropy');

const schema = z.object({});

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

async function training(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  const series = await store.series({ phase: 'training', range: { from: at - th.activeWindowMs, to: at } });
  const byRun = new Map<string, Series[]>();
  for (const s of series) {
    byRun.set(s.run, [...(byRun.get(s.run) ?? []), s]);
  }
  const runs: RunSnapshot[] = [];
  for (const [run, ss] of byRun) {
    let lastStep = -1;
    let lastUpdate = -Infinity;
    for (const s of ss) {
      for (const p of s.points) {
        if (p.step !== null && p.ts >= lastUpdate) {
          lastUpdate = p.ts;
          lastStep = Math.max(lastStep, p.step);
        }
      }
    }
    if (lastStep < 0) {
      continue; // system metrics only: not a training run we can judge
    }
    const max = ss.find((s) => s.name === 'max_steps')?.points.at(-1)?.value ?? null;
    runs.push({
      run,
      lastStep,
      lastUpdate,
      maxSteps: max,
      reward: seriesOf(ss, REWARD_METRICS),
      kl: seriesOf(ss, KL_METRICS),
      entropy: seriesOf(ss, ENTROPY_METRICS),
    });
  }
  return trainingStatus(runs, at, th);
}

async function deployment(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  const series = await store.series({
    phase: 'deployment',
    metrics: ['error_rate', 'latency_p99_ms'],
    range: { from: at - th.deploymentStaleMs, to: at },
  });
  const latest = series.flatMap((s) => {
    const p = s.points.at(-1);
    return p ? [{ run: s.run, labels: s.labels, name: s.name, value: p.value, ts: p.ts }] : [];
  });
  return deploymentStatus(latest, at, th);
}

async function data(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus> {
  const recent = { from: at - th.recentWindowMs, to: at };
  const rejects = await store.series({ phase: 'data', metrics: 'reject_rate', range: recent });
  const rejectRates = rejects.flatMap((s) => {
    const p = s.points.at(-1);
    return p ? [{ run: s.run, value: p.value, ts: p.ts }] : [];
  });
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
  const metrics = await store.series({ phase: 'evaluation', range: recent });
  const lastMetricTs = metrics.reduce<number | null>((m, s) => {
    const p = s.points.at(-1);
    return p && (m === null || p.ts > m) ? p.ts : m;
  }, null);
  return evaluationStatus({ calibration: cal, drift, lastMetricTs }, th);
}

/** The four phase states as of `at` (ms). Also used for the rlhf_phase_state Prometheus gauge. */
export async function phaseStatuses(
  store: Store,
  at: number,
  th: StatusThresholds = statusThresholdsFrom(process.env)
): Promise<PhaseStatus[]> {
  return Promise.all([
    data(store, at, th),
    training(store, at, th),
    evaluation(store, at, th),
    deployment(store, at, th),
  ]);
}

export const status: QueryType<typeof schema> = {
  type: 'status',
  schema,
  async run(_t, ctx) {
    const rows = await phaseStatuses(ctx.store, Math.min(ctx.now, ctx.range.to));
    return [
      frame('status', ctx.refId, [
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
