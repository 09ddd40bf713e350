// The Playground (the app's chat page) in the demo: every two hours a few people compare the answers of the
// serving policy's candidate (A, v2) and the current one (B, v1) to the same prompt, as the page records them
// (src/pages/Playground/judgements.ts): an annotation per judgement in dataset `playground` and A's win rate.
// v2 wins more often as its training goes on; the raters mostly agree, so the data phase stays healthy.
import { type Rng } from './random';
import { every, metric, type Process, type WireRecord } from './schedule';
import { DAY, HOUR } from './timeline';

export const PLAYGROUND_DATASET = 'playground';
const RATERS = ['ann-alice', 'ann-bob', 'ann-carol'];
const MODEL_A = 'rlhf-policy-v2';
const MODEL_B = 'rlhf-policy-v1';

/** P(A is better) at `rel` ms after the start: 0.45 on day 0, 0.7 by day 7. */
const pA = (rel: number) => 0.45 + 0.25 * Math.min(1, Math.max(0, rel) / (7 * DAY));

export function playgroundPhase(rng: Rng, start: number): Process[] {
  let prompt = 0;
  return [
    every(start + 5 * HOUR, 2 * HOUR, (t, out: WireRecord[]) => {
      prompt++;
      const truth = rng.bernoulli(pA(t - start)) ? 'A' : 'B';
      for (const [i, annotator] of RATERS.entries()) {
        const label = rng.bernoulli(0.05) ? 'tie' : rng.bernoulli(0.9) ? truth : truth === 'A' ? 'B' : 'A';
        const ts = t - (RATERS.length - 1 - i) * 60_000; // never after t (the scheduler's rule)
        const item = `cdemo${String(prompt).padStart(4, '0')}#1`;
        out.push({ kind: 'annotation', dataset: PLAYGROUND_DATASET, item, annotator, label, ts });
        out.push(
          metric('playground', 'playground/win_rate', label === 'A' ? 1 : label === 'B' ? 0 : 0.5, ts, {
            phase: 'evaluation',
            labels: { model_a: MODEL_A, model_b: MODEL_B },
          })
        );
      }
    }),
  ];
}
