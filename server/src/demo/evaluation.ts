// Phase 3, evaluation: an hourly reward-model evaluation job whose calibration slowly degrades (the policy
// drifts away from the data the reward model was trained on, and the RM grows over-confident), the RM's scores
// on the held-out training set (reference), and features of sampled production traffic (current), which drift
// once v2 - a policy that writes longer answers - takes the traffic.
import { CATEGORIES, trainingExample } from './data';
import { v2Share } from './deployment';
import { clamp, type Rng } from './random';
import { sample, type Process, type WireRecord } from './schedule';
import { CADENCE, DAY, TIMELINE, dailyLoad, ramp, sig } from './timeline';

export const REWARD_MODEL = 'reward-model';
/** Same order as CATEGORIES: more coding and chat than in the training data. */
const PRODUCTION_CATEGORY_WEIGHTS = [0.3, 0.14, 0.14, 0.17, 0.05, 0.2];

/**
 * Over-confidence at `rel` ms after the start: P(correct | confidence c) = 0.5 + (c - 0.5) * (1 - k).
 * k = 0 is perfectly calibrated; ECE is about k * E[c - 0.5] (~0.27 k here).
 */
export function overconfidence(rel: number): number {
  return clamp(0.6 * Math.pow(Math.max(0, rel) / TIMELINE.calibrationFull, 1.5), 0, 0.7);
}

export function evaluationPhase(rng: Rng, start: number): Process[] {
  let item = 0;
  const evalJob: Process = {
    next: start + CADENCE.evalJob / 2,
    fire(t, out) {
      const k = overconfidence(t - start);
      for (let i = 0; i < 40; i++) {
        const confidence = 0.5 + 0.5 * rng.beta(1.6, 1.4);
        const correct = rng.bernoulli(0.5 + (confidence - 0.5) * (1 - k));
        item++;
        out.push({
          kind: 'prediction',
          model: REWARD_MODEL,
          confidence: sig(confidence),
          correct,
          item: `heldout-${String(item).padStart(7, '0')}`,
          ts: t,
        });
      }
      for (let i = 0; i < 6; i++) {
        out.push(sample('reward_score', 'training', sig(rng.normal(0.6, 1)), t));
      }
      return t + CADENCE.evalJob;
    },
  };

  const production: Process = {
    next: start + rng.uniform(0, CADENCE.productionSample),
    fire(t, out) {
      const rel = t - start;
      const n = 1 + (rng.bernoulli(0.3 + 0.6 * dailyLoad(t)) ? 1 : 0);
      for (let i = 0; i < n; i++) {
        const v2 = rng.bernoulli(v2Share(rel));
        const drift = ramp(rel, TIMELINE.driftStart, TIMELINE.driftFull);
        const base = trainingExample(rng, false);
        // Users' prompts lengthen a little over the week (minor drift); v2's answers are much longer (major).
        const prompt = Math.round(base.prompt * (1 + 0.12 * ramp(rel, 1 * DAY, 7 * DAY)));
        const response = v2 ? Math.round(rng.lognormal(Math.log(260 * (1.35 + 0.5 * drift)), 0.55)) + 8 : base.response;
        const reward = v2 ? rng.normal(1.1 + 0.5 * drift, 1.1) : rng.normal(0.7, 1);
        const category = CATEGORIES[rng.weighted(PRODUCTION_CATEGORY_WEIGHTS)];
        out.push(sample('prompt_length', 'production', prompt, t));
        out.push(sample('response_length', 'production', response, t));
        out.push(sample('reward_score', 'production', sig(reward), t));
        out.push(sample('category', 'production', category, t));
      }
      return t + rng.exponential(CADENCE.productionSample);
    },
  };
  return [evalJob, production];
}

export type { WireRecord };
