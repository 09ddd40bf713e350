// The `health` query type: training-health signals of one run (reward hacking, entropy collapse, value-loss
// explosion, spikes, length exploitation, stalled progress), its smoothed curves and its ETA. Metric names are
// resolved through analytics/metricNames (TRL, OpenRLHF, veRL); the rules are pure, in analytics/health.
// Frames are documented in docs/query-types.md ("health").
import { downsampleIndices } from '../analytics/downsample';
import {
  DEFAULT_HEALTH,
  entropyCollapse,
  eta,
  lengthExploitation,
  overallState,
  rewardHacking,
  spikes,
  stalled,
  valueLossExplosion,
  type HealthOptions,
  type NamedSeries,
} from '../analytics/health';
import { detectFramework, resolveRole, ROLES, type Role } from '../analytics/metricNames';
import { emaDebiased } from '../analytics/smoothing';
import type { Series } from '../store/types';
import { frame, type FrameJSON, FRAMES, num, type ParsedTarget, str, HEALTH_CURVE_ROLES } from '@rlhf-monitor/contract';
import { baseStore } from '../store/override';
import { matches } from '../store/patterns';
import { shortLived } from './memo';
import type { QueryContext, QueryModule } from './types';

type Target = ParsedTarget<'health'>;

/** Roles smoothed by default, in display order. */
const CURVE_ROLES: Role[] = [...HEALTH_CURVE_ROLES];

function options(t: Target): HealthOptions {
  const d = DEFAULT_HEALTH;
  return {
    smoothing: t.smoothing ?? d.smoothing,
    window: t.window ?? d.window,
    klBudget: t.kl_budget ?? d.klBudget,
    entropyWarn: t.entropy_warn ?? d.entropyWarn,
    entropyCritical: t.entropy_critical ?? d.entropyCritical,
    valueLossFactor: t.value_loss_factor ?? d.valueLossFactor,
    spikeZ: t.spike_z ?? d.spikeZ,
    stallSeconds: t.stall_seconds ?? d.stallSeconds,
    lengthWarn: t.length_warn ?? d.lengthWarn,
    lengthCritical: t.length_critical ?? d.lengthCritical,
  };
}

const STATE_MAPPING = {
  mappings: [
    {
      type: 'value',
      options: {
        ok: { color: 'green', index: 0 },
        warning: { color: 'yellow', index: 1 },
        critical: { color: 'red', index: 2 },
        unknown: { color: 'text', index: 3 },
      },
    },
  ],
};

/** The run's series and judged signals for one range: what every panel of a dashboard refresh shares. */
async function analyse(t: Target, ctx: QueryContext) {
  const o = options(t);
  // Judge as of the end of the range, or now if that is earlier (like `status`).
  const at = Math.min(ctx.range.to, ctx.now);
  // Trainer metrics are unlabelled; labelled series (gpu, node) are system metrics, not judged: read only the
  // names the run logs unlabelled (from the newest-point index), not its system series' points.
  const trainer = [
    ...new Set(
      (await ctx.store.latest({}))
        .filter((p) => matches(p.run, t.run) && Object.keys(p.labels).length === 0)
        .map((p) => p.name)
    ),
  ];
  const all = trainer.length
    ? await ctx.store.series({ runs: t.run, metrics: trainer, range: { from: ctx.range.from, to: at } })
    : [];
  const byName = new Map<string, Series>();
  for (const s of all) {
    if (Object.keys(s.labels).length === 0 && !byName.has(s.name)) {
      byName.set(s.name, s);
    }
  }
  const names = [...byName.keys()];
  const roleSeries = (role: Role): NamedSeries | undefined => {
    const name = resolveRole(role, names);
    return name ? byName.get(name) : undefined;
  };

  const reward = roleSeries('score') ?? roleSeries('reward');
  const kl = roleSeries('kl');
  const maxStepsSeries = roleSeries('max_steps');
  const maxSteps = t.max_steps ?? maxStepsSeries?.points.at(-1)?.value ?? null;

  // Progress: the step-bearing trainer series with the most points.
  let stepSeries: Series | undefined;
  let stepCount = 0;
  let lastUpdate: number | null = null;
  for (const s of byName.values()) {
    if (s === maxStepsSeries) {
      continue;
    }
    const withStep = s.points.filter((p) => p.step !== null).length;
    if (withStep > stepCount) {
      stepSeries = s;
      stepCount = withStep;
    }
    const last = s.points.at(-1)?.ts;
    if (last !== undefined && (lastUpdate === null || last > lastUpdate)) {
      lastUpdate = last;
    }
  }
  const progress = eta(stepSeries?.points ?? [], maxSteps);
  const finished = maxSteps !== null && progress.step !== null && progress.step >= maxSteps;

  const spikeInputs = (['loss', 'policy_loss', 'reward', 'kl', 'grad_norm'] as Role[])
    .map(roleSeries)
    .filter((s, i, arr): s is NamedSeries => !!s && arr.indexOf(s) === i);
  const signals = [
    rewardHacking(reward, kl, o),
    entropyCollapse(roleSeries('entropy'), o),
    valueLossExplosion(roleSeries('value_loss'), o),
    spikes(spikeInputs, o),
    lengthExploitation(roleSeries('response_length'), reward, o),
    stalled(lastUpdate, at, finished, o),
  ];
  return { names, byName, signals, progress, lastUpdate };
}

/**
 * The Training dashboard asks this analysis once per panel (about 20) with the same run and range: answer them
 * from one computation (concurrent requests share the pending promise). Keyed by everything the analysis reads
 * (not the curves asked for); kept a few seconds at most, so new data shows on the next refresh.
 */
const analyses = shortLived<Awaited<ReturnType<typeof analyse>>>({ ttlMs: 5_000, max: 32 });

export const health: QueryModule<'health'> = {
  type: 'health',
  async run(t, ctx) {
    const o = options(t);
    // Options with their defaults resolved, so panels that spell them differently share one analysis.
    const key = JSON.stringify([t.run, t.max_steps, o, ctx.range.from, Math.min(ctx.range.to, ctx.now)]);
    const { names, byName, signals, progress, lastUpdate } = await analyses(baseStore(ctx.store), key, () =>
      analyse(t, ctx)
    );

    // Curves to smooth: requested names/roles, else every curve role the run logs.
    const wanted = t.metrics === undefined ? CURVE_ROLES : Array.isArray(t.metrics) ? t.metrics : [t.metrics];
    const curves: Array<{ role: string; series: Series }> = [];
    for (const w of wanted) {
      const role = (ROLES as string[]).includes(w) ? (w as Role) : null;
      const name = role ? resolveRole(role, names) : w;
      const s = name ? byName.get(name) : undefined;
      if (s && !curves.some((c) => c.series === s)) {
        curves.push({ role: role ?? '', series: s });
      }
    }

    const frames: FrameJSON[] = [
      frame(FRAMES.health.summary, ctx.refId, [
        str('run', [t.run]),
        { ...str('state', [overallState(signals)]), config: STATE_MAPPING },
        str('framework', [detectFramework(names)]),
        { name: 'last_update', type: 'time', values: [lastUpdate] },
      ]),
      frame(FRAMES.health.signals, ctx.refId, [
        str(
          'signal',
          signals.map((s) => s.signal)
        ),
        {
          ...str(
            'state',
            signals.map((s) => s.state)
          ),
          config: STATE_MAPPING,
        },
        num(
          'value',
          signals.map((s) => s.value)
        ),
        str(
          'reason',
          signals.map((s) => s.reason)
        ),
        { name: 'since', type: 'time', values: signals.map((s) => s.since) },
        str(
          'metric',
          signals.map((s) => s.metric)
        ),
      ]),
      frame(FRAMES.health.eta, ctx.refId, [
        num('step', [progress.step]),
        num('max_steps', [progress.max_steps]),
        num('progress', [progress.progress], { unit: 'percentunit', min: 0, max: 1 }),
        num('steps_per_hour', [progress.steps_per_hour]),
        num('eta_seconds', [progress.eta_seconds], { unit: 's' }),
        { name: 'eta_time', type: 'time', values: [progress.eta_time] },
      ]),
    ];
    for (const { role, series } of curves) {
      const raw = series.points.map((p) => p.value);
      const smooth = emaDebiased(raw, o.smoothing);
      // Smooth the full series first, then thin both curves at the same indices.
      const keep = downsampleIndices(raw, ctx.maxDataPoints);
      const labels = { run: t.run, metric: series.name, ...(role ? { role } : {}) };
      frames.push(
        frame(FRAMES.health.smoothed, ctx.refId, [
          { name: 'time', type: 'time', values: keep.map((i) => series.points[i].ts) },
          num(
            'step',
            keep.map((i) => series.points[i].step)
          ),
          num(
            'raw',
            keep.map((i) => raw[i]),
            { displayNameFromDS: series.name },
            labels
          ),
          num(
            'smoothed',
            keep.map((i) => smooth[i]),
            { displayNameFromDS: `${series.name} (smoothed)` },
            labels
          ),
        ])
      );
    }
    return frames;
  },
};
