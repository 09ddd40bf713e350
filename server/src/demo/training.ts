// Phase 2, training: a PPO run (TRL v2 PPOTrainer metric names) that starts reward hacking late in the week,
// and a DPO run (TRL DPOTrainer names) that converges and finishes. Both log every 8 minutes, save a
// checkpoint every few hundred steps (evaluated at once: eval/accuracy, eval/win_rate in phase evaluation),
// and report per-node GPU/CPU/RAM.
import { clamp, type Rng } from './random';
import { event, metric, type Process, type WireRecord } from './schedule';
import { CADENCE, DAY, TIMELINE, sig } from './timeline';

export const PPO_RUN = 'ppo-llama3-8b';
export const DPO_RUN = 'dpo-llama3-8b';
export const PPO_STEPS_PER_LOG = 10;

interface RunDef {
  run: string;
  start: number;
  maxSteps: number;
  stepsPerLog: number;
  checkpointEvery: number;
  nodes: string[];
  /** Metric values at a logging step (progress p in [0,1], t the time). */
  metrics(p: number, t: number, rng: Rng): Record<string, number>;
  evaluate(p: number, t: number, rng: Rng): { accuracy: number; winRate: number };
  gpu: { util: number; memGb: number; ramGb: number };
  /** [from, to) intervals in which the job is hung: no logs, idle GPUs. */
  stalls?: Array<{ from: number; to: number; node: string }>;
}

/** Days since the reward-hacking episode began (0 before). */
function hackingDays(t: number, start: number): number {
  return Math.max(0, (t - start - TIMELINE.hackingStart) / DAY);
}

function ppoDef(start: number): RunDef {
  const klCoef = 0.05;
  return {
    run: PPO_RUN,
    start: start + TIMELINE.ppoStart,
    maxSteps: 14300, // ends about 8.2 days after the simulation start: still running at the end of the week
    stepsPerLog: PPO_STEPS_PER_LOG,
    checkpointEvery: 500,
    nodes: ['node-0', 'node-1'],
    gpu: { util: 84, memGb: 71, ramGb: 330 },
    stalls: [
      { from: start + TIMELINE.ppoStallAt, to: start + TIMELINE.ppoStallAt + TIMELINE.ppoStallFor, node: 'node-1' },
    ],
    metrics(p, t, rng) {
      const h = hackingDays(t, start);
      // Healthy PPO: KL to the reference policy creeps up to ~0.2 nats; once the policy finds a reward-model
      // exploit KL grows exponentially (capped around 4 nats) while the score keeps climbing.
      const kl =
        (0.02 + 0.18 * (1 - Math.exp(-3 * p)) + 0.12 * (Math.exp(1.7 * Math.min(h, 2.2)) - 1)) * rng.lognormal(0, 0.07);
      const scores = -0.4 + 2.2 * (1 - Math.exp(-2.5 * p)) + 0.9 * Math.pow(h, 1.2) + rng.normal(0, 0.1);
      const entropy = (2.2 - 0.5 * p) * Math.exp(-1.4 * h) * rng.lognormal(0, 0.03);
      const valueLoss =
        (0.9 * Math.exp(-4 * p) + 0.12) * rng.lognormal(0, 0.15) * (h > 0 && rng.bernoulli(0.15) ? 3 : 1);
      return {
        'objective/kl': kl,
        'objective/entropy': entropy,
        'objective/non_score_reward': -klCoef * kl,
        'objective/rlhf_reward': scores - klCoef * kl,
        'objective/scores': scores,
        'policy/approxkl_avg': (0.004 + Math.abs(rng.normal(0, 0.0015))) * (1 + 2 * h),
        'policy/clipfrac_avg': clamp(0.08 + rng.normal(0, 0.012) + 0.12 * Math.min(h, 1.5), 0, 1),
        'loss/policy_avg': rng.normal(-0.012, 0.008),
        'loss/value_avg': valueLoss,
        'val/ratio': rng.normal(1, 0.015 * (1 + 2 * h)),
        // Degenerate long answers stop emitting EOS: the share of finished responses falls while hacking.
        'val/num_eos_tokens': clamp(rng.normal(0.97 - 0.25 * Math.min(h, 2), 0.01), 0, 1) * 64,
        lr: 3e-6 * (1 - p),
        tokens_per_second: rng.normal(5200 - 300 * Math.min(h, 2), 150),
      };
    },
    evaluate(p, t, rng) {
      const h = Math.min(hackingDays(t, start), 1.5);
      return {
        accuracy: clamp(0.61 + 0.05 * p - 0.06 * h + rng.normal(0, 0.008), 0, 1),
        winRate: clamp(0.5 + 0.2 * (1 - Math.exp(-3 * p)) - 0.14 * h + rng.normal(0, 0.015), 0, 1),
      };
    },
  };
}

function dpoDef(start: number): RunDef {
  const beta = 0.1;
  return {
    run: DPO_RUN,
    start: start + TIMELINE.dpoStart,
    maxSteps: 2700, // ~3 days: finishes mid-week
    stepsPerLog: 5,
    checkpointEvery: 250,
    nodes: ['node-2'],
    gpu: { util: 95, memGb: 66, ramGb: 280 },
    metrics(p, _t, rng) {
      const margins = 1.6 * (1 - Math.exp(-3 * p)) + rng.normal(0, 0.08);
      const chosen = 0.2 * (1 - Math.exp(-3 * p)) - 0.3 * p + rng.normal(0, 0.04);
      const rejected = chosen - margins;
      const warmup = 0.1;
      return {
        loss: Math.max(0.05, 0.3 + 0.393 * Math.exp(-3 * p) + rng.normal(0, 0.035)),
        'rewards/accuracies': clamp(0.5 + 0.27 * (1 - Math.exp(-4 * p)) + rng.normal(0, 0.025), 0, 1),
        'rewards/margins': margins,
        'rewards/chosen': chosen,
        'rewards/rejected': rejected,
        // DPO's implicit reward is beta * (log pi - log pi_ref): the log-probs move by reward / beta.
        'logps/chosen': -260 + chosen / beta + rng.normal(0, 6),
        'logps/rejected': -285 + rejected / beta + rng.normal(0, 6),
        grad_norm: rng.lognormal(Math.log(8 * (1 - 0.5 * p)), 0.3),
        learning_rate: 5e-7 * (p < warmup ? p / warmup : (1 - p) / (1 - warmup)),
        tokens_per_second: rng.normal(9100, 250),
      };
    },
    evaluate(p, _t, rng) {
      return {
        accuracy: clamp(0.52 + 0.22 * (1 - Math.exp(-4 * p)) + rng.normal(0, 0.01), 0, 1),
        winRate: clamp(0.5 + 0.13 * (1 - Math.exp(-3 * p)) + rng.normal(0, 0.015), 0, 1),
      };
    },
  };
}

function runProcesses(def: RunDef, rng: Rng): Process[] {
  let step = 0;
  let done = false;
  const stallAt = (t: number) => def.stalls?.find((s) => t >= s.from && t < s.to);
  let hung: { node: string } | undefined;
  const { run } = def;
  const tags = ['training', run];

  const log: Process = {
    next: def.start,
    fire(t, out) {
      if (step === 0) {
        out.push(
          // key=value settings, as the Python client's run-start event has them; `hosts` feeds the GPU row's variable.
          event(
            `${run}: training started`,
            t,
            tags,
            `max_steps=${def.maxSteps} hosts=${def.nodes.join(',')}`,
            'training'
          )
        );
      }
      const stall = stallAt(t);
      if (stall) {
        out.push(
          event(
            `${run}: NCCL timeout on ${stall.node}`,
            t,
            [...tags, 'incident'],
            'All-reduce timed out; the job is hung.',
            'training'
          )
        );
        hung = stall;
        return stall.to;
      }
      if (hung) {
        out.push(
          event(`${run}: job restarted`, t, tags, `Resumed at step ${step} after replacing ${hung.node}.`, 'training')
        );
        hung = undefined;
      }
      step = Math.min(def.maxSteps, step + def.stepsPerLog);
      const p = step / def.maxSteps;
      const values = def.metrics(p, t, rng);
      for (const [name, value] of Object.entries(values)) {
        out.push(metric(run, name, sig(value), t, { step, phase: 'training' }));
      }
      out.push(metric(run, 'max_steps', def.maxSteps, t, { step, phase: 'training' }));
      if (step % def.checkpointEvery === 0 || step === def.maxSteps) {
        const ev = def.evaluate(p, t, rng);
        out.push(
          event(
            `${run}: checkpoint-${step} saved`,
            t,
            [...tags, 'checkpoint'],
            `step ${step}/${def.maxSteps}`,
            'training'
          )
        );
        out.push(metric(run, 'eval/accuracy', sig(ev.accuracy), t, { step, phase: 'evaluation' }));
        out.push(metric(run, 'eval/win_rate', sig(ev.winRate), t, { step, phase: 'evaluation' }));
        out.push(
          event(
            `${run}: checkpoint-${step} evaluated`,
            t,
            ['evaluation', 'checkpoint', run],
            `accuracy ${ev.accuracy.toFixed(3)}, win rate vs SFT ${ev.winRate.toFixed(3)}`,
            'evaluation'
          )
        );
      }
      if (step >= def.maxSteps) {
        done = true;
        out.push(event(`${run}: training finished`, t, tags, `${step} steps`, 'training'));
        return Infinity;
      }
      return t + CADENCE.trainingLog;
    },
  };

  const system: Process = {
    next: def.start + CADENCE.system / 2,
    fire(t, out) {
      if (done) {
        return Infinity;
      }
      const stall = stallAt(t);
      for (const node of def.nodes) {
        const labels = { node };
        for (let g = 0; g < 4; g++) {
          const gpuLabels = { node, gpu: String(g) };
          const util = stall ? rng.uniform(0, 3) : clamp(rng.normal(def.gpu.util, 4), 0, 100);
          out.push(metric(run, 'gpu_utilization', sig(util, 3), t, { phase: 'training', labels: gpuLabels }));
          out.push(
            metric(run, 'gpu_memory_used_gb', sig(clamp(rng.normal(def.gpu.memGb, 1.5), 0, 80), 3), t, {
              phase: 'training',
              labels: gpuLabels,
            })
          );
          // Derived from utilisation (no draws, so the rest of the story keeps its values), on the scale of
          // the real H200 in clients/python/tests/data: ~80 W / 34 C idle, ~690 W / 57 C / 1470 MHz at 100%.
          const derived = { gpu_power_watts: 80 + 6.1 * util, gpu_temperature_celsius: 34 + 0.23 * util };
          for (const [name, value] of Object.entries(derived)) {
            out.push(metric(run, name, sig(value, 3), t, { phase: 'training', labels: gpuLabels }));
          }
          const clock = util > 5 ? 1980 - 5.1 * util : 1980;
          out.push(metric(run, 'gpu_sm_clock_mhz', Math.round(clock), t, { phase: 'training', labels: gpuLabels }));
        }
        const cpu = stall ? rng.uniform(1, 4) : clamp(rng.normal(35, 6), 0, 100);
        out.push(metric(run, 'cpu_utilization', sig(cpu, 3), t, { phase: 'training', labels }));
        out.push(metric(run, 'ram_used_gb', sig(rng.normal(def.gpu.ramGb, 8), 3), t, { phase: 'training', labels }));
      }
      return t + CADENCE.system;
    },
  };
  return [log, system];
}

export function trainingPhase(rng: Rng, start: number): Process[] {
  return [...runProcesses(ppoDef(start), rng.fork()), ...runProcesses(dpoDef(start), rng.fork())];
}

export type { WireRecord };
