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
  type EvaluationInputs,
  evaluationStatus,
  trainingStatus,
  type PhaseStatus,
  type RunSnapshot,
  STATUS_REUSE_MS,
  type StatusThresholds,
} from '../analytics/status';
import { baseStore } from '../store/override';
import type { Series, Store } from '../store/types';
import { nextTurn } from '../turns';
import { populations } from './drift';
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
 * up to `end`, its newest point not after `at`. The rules read the last `hackingPoints` of an EMA whose weight on
 * a point TAIL_POINTS back is below 1e-40, so the tail gives the same figures as the whole window, at a cost that
 * does not grow with it: ranges double from one minute before the newest point (not before `at`: a run that
 * stopped an hour ago would otherwise read its last hour) until they hold enough points.
 */
async function recentPoints(store: Store, run: string, name: string, end: number, at: number, th: StatusThresholds) {
  const want = Math.max(TAIL_POINTS, 10 * th.hackingPoints);
  const oldest = at - th.activeWindowMs;
  for (let span = 60_000; ; span *= 2) {
    const from = Math.max(end - span, oldest);
    const series = (await store.series({ phase: 'training', runs: [run], metrics: [name], range: { from, to: end } }))
      // the names are patterns to the store: keep the exact series
      .filter((x) => x.run === run && x.name === name && !hasLabels(x.labels));
    if (from === oldest || (series[0]?.points.length ?? 0) >= want) {
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
  // Each unlabelled series' newest point up to `at`: where its tail ends.
  const unlabelled = new Map(
    latest.filter((p) => !hasLabels(p.labels)).map((p) => [JSON.stringify([p.run, p.name]), p.ts] as const)
  );
  const runs: RunSnapshot[] = [];
  for (const [run, r] of progress) {
    if (r.lastStep < 0) {
      continue; // system metrics only: not a training run we can judge
    }
    // The first name of each role the run logs, as seriesOf picks it.
    const curve = async (names: string[]) => {
      const name = names.find((n) => unlabelled.has(JSON.stringify([run, n])));
      const end = name === undefined ? undefined : unlabelled.get(JSON.stringify([run, name]));
      return name === undefined || end === undefined
        ? undefined
        : seriesOf(await recentPoints(store, run, name, end, at, th), [name]);
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
    await nextTurn(); // one dataset's statistic per turn: health checks and ingest wait behind one, not all
    const anns = await store.annotations({ dataset, range: recent });
    await nextTurn(); // the read and the statistic in turns of their own: each is tens of ms at 50k annotations
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
 * (last `referenceWindowMs`). Used by the evaluation rule and the rlhf_drift_psi Prometheus gauge. The
 * populations are read as a drift query with `reference_window` reads them (drift.ts), and PSI is the contract's
 * (the same as the drift summary's), so a drift panel with these windows shows exactly this figure.
 */
export async function featureDrift(store: Store, at: number, th: StatusThresholds): Promise<FeatureDrift[]> {
  const sel = {
    reference: th.referenceSource,
    current: th.currentSource,
    range: { from: at - th.recentWindowMs, to: at },
    referenceWindowMs: th.referenceWindowMs,
  };
  const drift: FeatureDrift[] = [];
  for (const feature of await store.catalog('features')) {
    await nextTurn(); // one feature's PSI per turn
    const p = await populations(store, feature, sel);
    if (p.currentLast === null || !p.numeric) {
      continue; // categorical features: PSI over decile bins needs numbers
    }
    const r = p.ref as number[];
    const c = p.cur as number[];
    drift.push({
      feature,
      psi: r.length ? psi(r, c) : null,
      referenceCount: r.length,
      currentCount: c.length,
      ts: p.currentLast,
    });
  }
  return drift;
}

/** One numeric feature's PSI (null without reference samples) as the evaluation rule and the gauge read it. */
export type FeatureDrift = EvaluationInputs['drift'][number];

async function evaluation(
  store: Store,
  at: number,
  th: StatusThresholds,
  featureDrifts: Promise<FeatureDrift[]>
): Promise<PhaseStatus> {
  const recent = { from: at - th.recentWindowMs, to: at };
  const cal = [];
  for (const model of await store.catalog('models')) {
    await nextTurn(); // one model's calibration per turn
    // Columns, not a record per prediction: the same figures in the same order, at a fraction of the cost.
    const preds = await store.predictionColumns({ model, range: recent });
    if (preds.last !== null) {
      const c = calibration(preds.confidence, preds.correct);
      cal.push({ model, ece: c.ece, count: c.count, ts: preds.last });
    }
  }
  const drift = await featureDrifts;
  const lastMetricTs = (await latestAsOf(store, 'evaluation', at, th.recentWindowMs)).reduce<number | null>(
    (m, p) => (m === null || p.ts > m ? p.ts : m),
    null
  );
  return evaluationStatus({ calibration: cal, drift, lastMetricTs }, th);
}

/** The four phase states as of `at` (ms), and the feature drift the evaluation state was judged on. */
export interface StatusFigures {
  phases: PhaseStatus[];
  drift: FeatureDrift[];
}

async function statusFigures(store: Store, at: number, th: StatusThresholds): Promise<StatusFigures> {
  // Read once: the evaluation rule and the rlhf_drift_psi gauge both use it.
  const drift = featureDrift(store, at, th);
  drift.catch(() => undefined); // its failure is the evaluation's (awaited there), not an unhandled one
  const phases = await Promise.all([
    data(store, at, th),
    training(store, at, th),
    evaluation(store, at, th, drift),
    deployment(store, at, th),
  ]);
  return { phases, drift: await drift };
}

interface Shared {
  key: string;
  /** The caller's clock (ms) when it was asked; `at` is this for a status as of now. */
  now: number;
  /** performance.now() when it was asked, and when it settled (Infinity until then). */
  started: number;
  settledAt: number;
  version: number | undefined;
  figures: Promise<StatusFigures>;
}

const sharedByStore = new WeakMap<Store, Shared[]>();

/**
 * statusFigures, shared (issue 12: a scrape and a dashboard refresh must not each read every prediction and
 * sample): a caller asking what another is computing awaits the same promise, and a settled answer is reused
 * for STATUS_REUSE_MS after it is computed while the data version (records stored) is unchanged. A status as of
 * now matches one asked as of now no longer ago, by the caller's clock, than that plus the time it took (a fake
 * clock moved on by minutes judges afresh); one as of an earlier time matches only the same `at`.
 * A failure is not kept.
 * The status is the service's own question, not a target's: whichever caller starts it reads with its store.
 */
export function sharedStatus(
  store: Store,
  q: { at: number; now: number; th: StatusThresholds; version?: number }
): Promise<StatusFigures> {
  const id = baseStore(store);
  const asOfNow = q.at >= q.now;
  const key = JSON.stringify([asOfNow ? 'now' : q.at, q.th]);
  const t = performance.now();
  const entries = (sharedByStore.get(id) ?? []).filter((e) => t - e.settledAt < STATUS_REUSE_MS);
  sharedByStore.set(id, entries);
  const hit = entries.find(
    (e) =>
      e.key === key &&
      (!asOfNow || (q.now >= e.now && q.now - e.now < STATUS_REUSE_MS + (Math.min(t, e.settledAt) - e.started))) &&
      (e.settledAt === Infinity || (q.version !== undefined && e.version === q.version))
  );
  if (hit) {
    return hit.figures;
  }
  const entry: Shared = {
    key,
    now: q.now,
    started: t,
    settledAt: Infinity,
    version: q.version,
    figures: statusFigures(store, asOfNow ? q.now : q.at, q.th),
  };
  entries.push(entry);
  entry.figures.then(
    () => (entry.settledAt = performance.now()),
    () => {
      const list = sharedByStore.get(id) ?? [];
      if (list.includes(entry)) {
        list.splice(list.indexOf(entry), 1);
      }
    }
  );
  return entry.figures;
}

/** The four phase states as of `at` (ms), computed afresh (sharedStatus for the service's callers). */
export async function phaseStatuses(store: Store, at: number, th: StatusThresholds): Promise<PhaseStatus[]> {
  return (await statusFigures(store, at, th)).phases;
}

export const status: QueryModule<'status'> = {
  type: 'status',
  async run(_t, ctx) {
    const { phases: rows } = await sharedStatus(ctx.store, {
      at: Math.min(ctx.now, ctx.range.to),
      now: ctx.now,
      th: ctx.status,
      version: ctx.dataVersion,
    });
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
