// A simulated week at full speed (the simulator has no clock of its own): the shapes an RLHF engineer expects.
import { annotatorAgreement, krippendorffAlpha } from '../analytics/agreement';
import { calibration, psi } from '@rlhf-monitor/contract';
import { hackingSignal } from '../analytics/status';
import { validateRecord } from '../records/validate';
import type { WireRecord } from './schedule';
import { createSimulator } from './simulator';
import { DAY, HOUR, MINUTE, TIMELINE } from './timeline';

const START = Date.parse('2026-11-18T15:00:00Z');

type R = WireRecord & Record<string, any>;

function week(seed: number): R[] {
  const sim = createSimulator({ seed, start: START });
  const out: R[] = [];
  // Hour-sized slices, as a runner catching up would call it.
  for (let t = START + HOUR; t <= START + 7 * DAY; t += HOUR) {
    out.push(...(sim.advance(t) as R[]));
  }
  return out;
}

const metricPoints = (recs: R[], run: string, name: string) =>
  recs
    .filter((r) => r.kind === 'metric' && r.run === run && r.name === name)
    .sort((a, b) => a.step - b.step || a.ts - b.ts);
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const dayOf = (r: R) => Math.floor((r.ts - START) / DAY);

describe.each([42, 7])('a simulated week (seed %i)', (seed) => {
  const recs = week(seed);

  it('produces tens of thousands of records, every one valid on the ingest path, none in the future', () => {
    expect(recs.length).toBeGreaterThan(20_000);
    expect(recs.length).toBeLessThan(150_000);
    for (const r of recs) {
      const v = validateRecord(r, START);
      if (!v.ok || typeof r.ts !== 'number') {
        throw new Error(`invalid ${JSON.stringify(r)}: ${v.ok ? 'ts is not epoch ms' : `${v.field} ${v.message}`}`);
      }
    }
    expect(Math.max(...recs.map((r) => r.ts))).toBeLessThanOrEqual(START + 7 * DAY);
  });

  it('spreads the volume evenly: no day above twice the mean daily volume', () => {
    const perDay = new Array(7).fill(0);
    for (const r of recs) {
      perDay[Math.min(6, dayOf(r))]++;
    }
    const avg = mean(perDay);
    expect(Math.max(...perDay)).toBeLessThanOrEqual(2 * avg);
    expect(Math.min(...perDay)).toBeGreaterThan(0.5 * avg);
  });

  it('uses the fixed names of every phase', () => {
    const names = new Set(recs.filter((r) => r.kind === 'metric').map((r) => `${r.run}|${r.phase}|${r.name}`));
    const ppo = [
      'objective/kl',
      'objective/entropy',
      'objective/rlhf_reward',
      'objective/scores',
      'policy/clipfrac_avg',
      'policy/approxkl_avg',
      'loss/policy_avg',
      'loss/value_avg',
      'val/ratio',
      'lr',
      'max_steps',
      'tokens_per_second',
    ];
    const dpo = [
      'loss',
      'rewards/accuracies',
      'rewards/margins',
      'rewards/chosen',
      'rewards/rejected',
      'logps/chosen',
      'logps/rejected',
      'grad_norm',
      'learning_rate',
      'max_steps',
      'tokens_per_second',
    ];
    const system = [
      'gpu_utilization',
      'gpu_memory_used_gb',
      'gpu_power_watts',
      'gpu_temperature_celsius',
      'gpu_sm_clock_mhz',
      'cpu_utilization',
      'ram_used_gb',
    ];
    const expected = [
      ...ppo.map((n) => `ppo-llama3-8b|training|${n}`),
      ...dpo.map((n) => `dpo-llama3-8b|training|${n}`),
      ...system.flatMap((n) => [`ppo-llama3-8b|training|${n}`, `dpo-llama3-8b|training|${n}`]),
      ...['eval/accuracy', 'eval/win_rate'].flatMap((n) => [
        `ppo-llama3-8b|evaluation|${n}`,
        `dpo-llama3-8b|evaluation|${n}`,
      ]),
      ...['records_ingested', 'records_rejected', 'reject_rate'].map((n) => `annotation-pipeline|data|${n}`),
      ...[
        'requests_per_second',
        'latency_p50_ms',
        'latency_p95_ms',
        'latency_p99_ms',
        'error_rate',
        'kv_cache_usage',
        'tokens_per_second',
      ].map((n) => `serve-prod|deployment|${n}`),
    ];
    for (const e of expected) {
      expect(names).toContain(e);
    }
    const gpu = recs.filter((r) => r.kind === 'metric' && r.name === 'gpu_utilization');
    expect(new Set(gpu.map((r) => `${r.labels.node}/${r.labels.gpu}`)).size).toBe(12); // 2 PPO nodes + 1 DPO node, x4
    expect(new Set(recs.filter((r) => r.kind === 'annotation').map((r) => r.dataset))).toEqual(
      new Set(['prefs-helpfulness', 'prefs-safety', 'playground'])
    );
    expect(new Set(recs.filter((r) => r.kind === 'prediction').map((r) => r.model))).toEqual(new Set(['reward-model']));
    const features = new Set(recs.filter((r) => r.kind === 'sample').map((r) => `${r.source}|${r.feature}`));
    for (const f of ['prompt_length', 'response_length', 'reward_score', 'category']) {
      expect(features).toContain(`training|${f}`);
      expect(features).toContain(`production|${f}`);
    }
    const tags = new Set(recs.filter((r) => r.kind === 'event').flatMap((r) => r.tags as string[]));
    for (const t of [
      'data',
      'training',
      'evaluation',
      'deployment',
      'checkpoint',
      'dataset-batch',
      'rollout',
      'incident',
    ]) {
      expect(tags).toContain(t);
    }
  });

  it('trains: losses trend down (first vs last 10% of steps), DPO accuracy and margins up', () => {
    const firstLast = (run: string, name: string) => {
      const v = metricPoints(recs, run, name).map((r) => r.value as number);
      const k = Math.max(1, Math.floor(v.length / 10));
      return [mean(v.slice(0, k)), mean(v.slice(-k))];
    };
    const [dpoFirst, dpoLast] = firstLast('dpo-llama3-8b', 'loss');
    expect(dpoFirst).toBeGreaterThan(0.55);
    expect(dpoLast).toBeLessThan(0.75 * dpoFirst);
    const [vFirst, vLast] = firstLast('ppo-llama3-8b', 'loss/value_avg');
    expect(vLast).toBeLessThan(0.5 * vFirst);
    const [accFirst, accLast] = firstLast('dpo-llama3-8b', 'rewards/accuracies');
    expect(accLast - accFirst).toBeGreaterThan(0.15);
    const [mFirst, mLast] = firstLast('dpo-llama3-8b', 'rewards/margins');
    expect(mLast).toBeGreaterThan(mFirst + 1);
    // max_steps is constant per run and the DPO run reaches it.
    const dpoMax = metricPoints(recs, 'dpo-llama3-8b', 'max_steps');
    expect(new Set(dpoMax.map((r) => r.value)).size).toBe(1);
    expect(dpoMax.at(-1)!.step).toBe(dpoMax[0].value);
  });

  it('shows reward hacking in the PPO run only in the last ~1.5 days: KL past budget, reward rising, entropy collapsed', () => {
    const kl = metricPoints(recs, 'ppo-llama3-8b', 'objective/kl');
    const reward = metricPoints(recs, 'ppo-llama3-8b', 'objective/rlhf_reward');
    const entropy = metricPoints(recs, 'ppo-llama3-8b', 'objective/entropy');
    expect(kl.length).toBe(reward.length);
    const named = (name: string, points: R[], n: number) => ({ name, points: points.slice(0, n) as any[] });
    let firstOn: number | null = null;
    let lastState = '';
    for (let i = 20; i <= kl.length; i++) {
      lastState = hackingSignal(named('objective/rlhf_reward', reward, i), named('objective/kl', kl, i)).state;
      if (lastState === 'critical' && firstOn === null) {
        firstOn = kl[i - 1].ts;
      }
    }
    expect(firstOn).not.toBeNull();
    expect(firstOn!).toBeGreaterThan(START + TIMELINE.hackingStart);
    expect(firstOn!).toBeLessThan(START + 7 * DAY - 12 * HOUR);
    expect(firstOn!).toBeGreaterThan(START + 7 * DAY - 1.6 * DAY);
    // Still on at the end of the week, with entropy collapsed relative to the healthy run.
    expect(lastState).toBe('critical');
    const healthyEntropy = mean(entropy.filter((r) => r.ts < START + TIMELINE.hackingStart).map((r) => r.value));
    const lastEntropy = mean(entropy.slice(-12).map((r) => r.value));
    expect(lastEntropy).toBeLessThan(0.5);
    expect(lastEntropy).toBeLessThan(0.3 * healthyEntropy);
    // Healthy before: KL well under budget for the first 5 days.
    expect(Math.max(...kl.filter((r) => r.ts < START + 5 * DAY).map((r) => r.value))).toBeLessThan(0.3);
    // The judge is not fooled: win rate at the last checkpoint is below its pre-hacking peak.
    const win = metricPoints(recs, 'ppo-llama3-8b', 'eval/win_rate');
    const peak = Math.max(...win.filter((r) => r.ts < START + TIMELINE.hackingStart).map((r) => r.value));
    expect(win.at(-1)!.value).toBeLessThan(peak - 0.05);
  });

  it('stalls the PPO run once (no step for > 10 min) and resumes', () => {
    const steps = metricPoints(recs, 'ppo-llama3-8b', 'max_steps');
    const gaps = steps.slice(1).map((r, i) => r.ts - steps[i].ts);
    const long = gaps.filter((g) => g > 10 * MINUTE);
    expect(long).toHaveLength(1);
    expect(long[0]).toBeGreaterThanOrEqual(TIMELINE.ppoStallFor);
  });

  it("worsens the reward model's calibration over the week (ECE ~0.03 on day 1, > 0.1 on day 7)", () => {
    const ece = (d: number) => {
      const p = recs.filter((r) => r.kind === 'prediction' && dayOf(r) === d);
      return calibration(
        p.map((r) => r.confidence),
        p.map((r) => r.correct)
      ).ece!;
    };
    expect(ece(0)).toBeLessThan(0.05);
    expect(ece(6)).toBeGreaterThan(0.1);
    expect(ece(6)).toBeGreaterThan(ece(0) + 0.05);
  });

  it('drifts production response_length away from training: moderate over the week, major on the last day', () => {
    const values = (source: string, from = 0) =>
      recs
        .filter((r) => r.kind === 'sample' && r.feature === 'response_length' && r.source === source && r.ts >= from)
        .map((r) => r.value as number);
    const reference = values('training');
    expect(psi(reference, values('production'))).toBeGreaterThan(0.1);
    expect(psi(reference, values('production', START + 6 * DAY))).toBeGreaterThan(0.25);
    // Before the v2 canary production still looks like training.
    const early = recs
      .filter(
        (r) =>
          r.kind === 'sample' &&
          r.feature === 'response_length' &&
          r.source === 'production' &&
          r.ts < START + TIMELINE.canaryStart
      )
      .map((r) => r.value as number);
    expect(psi(reference, early)).toBeLessThan(0.1);
  });

  it('has exactly one serving incident: error rate > 2% for >= 5 consecutive minutes with p99 over the 2 s SLO', () => {
    const err = recs.filter((r) => r.kind === 'metric' && r.run === 'serve-prod' && r.name === 'error_rate');
    const bySeries = new Map<string, R[]>();
    for (const r of err) {
      const k = JSON.stringify(r.labels);
      bySeries.set(k, [...(bySeries.get(k) ?? []), r]);
    }
    const episodes: Array<{ from: number; to: number }> = [];
    for (const points of bySeries.values()) {
      points.sort((a, b) => a.ts - b.ts);
      let open: { from: number; to: number } | null = null;
      for (const p of points) {
        if (p.value > 0.02) {
          open = open ? { from: open.from, to: p.ts } : { from: p.ts, to: p.ts };
        } else if (open) {
          episodes.push(open);
          open = null;
        }
      }
      if (open) {
        episodes.push(open);
      }
    }
    expect(episodes).toHaveLength(1);
    expect(episodes[0].to - episodes[0].from).toBeGreaterThanOrEqual(5 * MINUTE);
    const p99 = recs.filter(
      (r) => r.kind === 'metric' && r.name === 'latency_p99_ms' && r.ts >= episodes[0].from && r.ts <= episodes[0].to
    );
    expect(Math.min(...p99.map((r) => r.value))).toBeGreaterThan(2000);
    // Outside the incident p99 stays under half the SLO, so the warning level means something.
    const calm = recs.filter(
      (r) => r.kind === 'metric' && r.name === 'latency_p99_ms' && (r.ts < episodes[0].from || r.ts > episodes[0].to)
    );
    expect(Math.max(...calm.map((r) => r.value))).toBeLessThan(1000);
  });

  it('rolls out v2 through a canary', () => {
    const series = new Set(
      recs
        .filter((r) => r.kind === 'metric' && r.run === 'serve-prod')
        .map((r) => `${r.labels.version}/${r.labels.track}`)
    );
    expect(series).toEqual(new Set(['v1/stable', 'v2/canary', 'v2/stable']));
    const rollouts = recs.filter((r) => r.kind === 'event' && (r.tags as string[]).includes('rollout'));
    expect(rollouts.map((r) => r.ts)).toEqual([START + TIMELINE.canaryStart, START + TIMELINE.rolloutAt]);
  });

  it('has annotators of different reliability: alpha around 0.6-0.7, the careless annotator agrees least', () => {
    for (const dataset of ['prefs-helpfulness', 'prefs-safety']) {
      const anns = recs.filter((r) => r.kind === 'annotation' && r.dataset === dataset) as any[];
      const alpha = krippendorffAlpha(anns)!;
      expect(alpha).toBeGreaterThan(0.55);
      expect(alpha).toBeLessThan(0.75);
      const per = annotatorAgreement(anns);
      expect(per.length).toBeGreaterThanOrEqual(5);
      const worst = per.reduce((a, b) => ((a.agreement_with_majority ?? 1) < (b.agreement_with_majority ?? 1) ? a : b));
      expect(worst.annotator).toBe('ann-eve');
    }
  });

  it('keeps the reject rate low with occasional spikes', () => {
    const rr = metricPoints(recs, 'annotation-pipeline', 'reject_rate').map((r) => r.value as number);
    const sorted = [...rr].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(0.03);
    const spikes = rr.filter((v) => v > 0.05).length;
    expect(spikes).toBeGreaterThan(0);
    expect(spikes / rr.length).toBeLessThan(0.1);
  });
});

describe('determinism', () => {
  it('gives the same records for the same seed however time is sliced, and different ones for another seed', () => {
    const a = createSimulator({ seed: 3, start: START }).advance(START + DAY);
    const sliced = createSimulator({ seed: 3, start: START });
    const b: unknown[] = [];
    for (let t = START; t < START + DAY; t += 5000 + 7919) {
      b.push(...sliced.advance(t));
    }
    b.push(...sliced.advance(START + DAY));
    expect(b).toEqual(a);
    expect(createSimulator({ seed: 4, start: START }).advance(START + DAY)).not.toEqual(a);
  });

  it('never emits records later than the time advanced to', () => {
    const sim = createSimulator({ seed: 9, start: START });
    for (let t = START; t < START + 2 * DAY; t += 37 * MINUTE) {
      for (const r of sim.advance(t)) {
        expect(r.ts).toBeLessThanOrEqual(t);
      }
    }
  });
});
