// Phase 1, data collection: preference pairs labelled by a pool of annotators of different reliability,
// the ingestion pipeline's own counters, dataset batches, and the distribution of the training data.
import { clamp, type Rng } from './random';
import { event, metric, sample, type Process, type WireRecord } from './schedule';
import { CADENCE, DAY, HOUR, MINUTE, TIMELINE, dailyLoad, sig } from './timeline';

export interface Annotator {
  name: string;
  /** Probability of reporting the true preference; otherwise the label is a coin flip. */
  reliability: number;
  /** Relative share of items this annotator picks up. */
  weight: number;
  /** Adversarial annotators sometimes report the opposite of what they see. */
  adversarial?: boolean;
}

export const ANNOTATORS: Annotator[] = [
  { name: 'ann-amara', reliability: 0.95, weight: 1.2 },
  { name: 'ann-bo', reliability: 0.92, weight: 1 },
  { name: 'ann-chen', reliability: 0.9, weight: 1 },
  { name: 'ann-dario', reliability: 0.88, weight: 0.9 },
  { name: 'ann-eve', reliability: 0.45, weight: 0.7 }, // careless: clicks through most pairs
  { name: 'ann-farid', reliability: 0.9, weight: 0.8, adversarial: true },
];

export const CATEGORIES = ['coding', 'reasoning', 'writing', 'qa', 'safety', 'chat'] as const;
const CATEGORY_WEIGHTS = [0.22, 0.18, 0.16, 0.2, 0.09, 0.15];

/** Labels per dataset: helpfulness pairs as 'A'/'B', safety pairs as 0/1 (1 = response B is the safer one). */
const DATASETS = [
  { name: 'prefs-helpfulness', labels: ['A', 'B'] as const, pFirst: 0.55, gap: CADENCE.helpfulnessItem, batch: 50 },
  { name: 'prefs-safety', labels: [0, 1] as const, pFirst: 0.62, gap: CADENCE.safetyItem, batch: 40 },
];

/** The training-data distribution (the drift reference): token lengths are log-normal. */
export function trainingExample(rng: Rng, safety: boolean) {
  return {
    prompt: Math.round(rng.lognormal(Math.log(170), 0.6)) + 4,
    response: Math.round(rng.lognormal(Math.log(260), 0.5)) + 8,
    category: safety && rng.bernoulli(0.7) ? 'safety' : CATEGORIES[rng.weighted(CATEGORY_WEIGHTS)],
  };
}

export function dataPhase(rng: Rng, start: number): Process[] {
  const processes: Process[] = [];

  // Adversarial episodes: on about a third of days, 2-4 hours of deliberately flipped labels.
  const adversarialUntil = new Map<string, number>();
  const adversarialTarget = ANNOTATORS.find((a) => a.adversarial)!;
  processes.push({
    next: start + rng.uniform(0.3, 1) * DAY,
    fire(t) {
      adversarialUntil.set(adversarialTarget.name, t + rng.uniform(2, 4) * HOUR);
      return t + rng.uniform(2, 4) * DAY;
    },
  });

  for (const ds of DATASETS) {
    let item = 0;
    let batchStart = start;
    let inBatch = 0;
    const safety = ds.name === 'prefs-safety';
    processes.push({
      next: start + rng.exponential(ds.gap),
      fire(t, out) {
        item++;
        const id = `${ds.name.replace('prefs-', '')}-${String(item).padStart(6, '0')}`;
        const truth = rng.bernoulli(ds.pFirst) ? 0 : 1;
        // One pair in eight is genuinely ambiguous: everyone is less reliable on it.
        const difficulty = rng.bernoulli(0.12) ? 0.6 : 1;
        const chosen = pickAnnotators(rng, 3);
        chosen.forEach((a, k) => {
          let label = rng.bernoulli(a.reliability * difficulty) ? truth : rng.int(0, 1);
          if ((adversarialUntil.get(a.name) ?? 0) > t && rng.bernoulli(0.8)) {
            label = 1 - truth;
          }
          // Annotators submit a few seconds apart; all at or before t.
          out.push({
            kind: 'annotation',
            dataset: ds.name,
            item: id,
            annotator: a.name,
            label: ds.labels[label],
            ts: t - k * 7000,
          });
        });
        const ex = trainingExample(rng, safety);
        out.push(sample('prompt_length', 'training', ex.prompt, t));
        out.push(sample('response_length', 'training', ex.response, t));
        out.push(sample('category', 'training', ex.category, t));
        if (++inBatch >= ds.batch) {
          const batchNo = Math.ceil(item / ds.batch);
          out.push(
            event(
              `${ds.name}: batch ${batchNo} published`,
              t,
              ['data', 'dataset-batch', ds.name],
              `${inBatch} preference pairs labelled between ${new Date(batchStart).toISOString()} and ${new Date(t).toISOString()} (items up to ${id}).`,
              'data'
            )
          );
          inBatch = 0;
          batchStart = t;
        }
        // Annotators work more in the daytime; the mean gap stays `ds.gap` over a day.
        return t + rng.exponential(ds.gap / (0.4 + 1.2 * dailyLoad(t)));
      },
    });
  }

  // The ingestion pipeline's counters: a low reject rate with a rare spike (a schema change upstream, a bad export).
  // Spikes come at fixed points of the story (not by chance), so the state at the end of the week is reproducible.
  let spikeUntil = 0;
  let spikeRate = 0;
  let spike = 0;
  processes.push({
    next: start + CADENCE.pipelineCounters,
    fire(t, out) {
      if (t >= start + rejectSpikeAt(spike)) {
        spike++;
        spikeUntil = t + rng.uniform(30, 70) * MINUTE;
        spikeRate = rng.uniform(0.08, 0.16);
        out.push(
          event(
            'annotation-pipeline: reject spike',
            t,
            ['data', 'incident', 'annotation-pipeline'],
            'Upstream export changed its schema; records are failing validation.',
            'data'
          )
        );
      }
      const ingested = Math.round(rng.normal(300 + 500 * dailyLoad(t), 40));
      const p = t < spikeUntil ? spikeRate : clamp(rng.lognormal(Math.log(0.012), 0.4), 0, 0.025);
      const rejected = Math.round(clamp(rng.normal(ingested * p, Math.sqrt(ingested * p * (1 - p))), 0, ingested));
      const o = { phase: 'data' };
      out.push(metric('annotation-pipeline', 'records_ingested', ingested, t, o));
      out.push(metric('annotation-pipeline', 'records_rejected', rejected, t, o));
      out.push(metric('annotation-pipeline', 'reject_rate', sig(rejected / Math.max(1, ingested)), t, o));
      return t + CADENCE.pipelineCounters;
    },
  });

  return processes;
}

/** Offset from the start of the k-th reject spike: the listed ones, then one every `rejectSpikeEvery`. */
function rejectSpikeAt(k: number): number {
  const listed = TIMELINE.rejectSpikes;
  return k < listed.length
    ? listed[k]
    : listed[listed.length - 1] + (k - listed.length + 1) * TIMELINE.rejectSpikeEvery;
}

/** k distinct annotators, drawn by weight without replacement. */
function pickAnnotators(rng: Rng, k: number): Annotator[] {
  const pool = [...ANNOTATORS];
  const chosen: Annotator[] = [];
  while (chosen.length < k && pool.length) {
    const i = rng.weighted(pool.map((a) => a.weight));
    chosen.push(pool.splice(i, 1)[0]);
  }
  return chosen;
}

export type { WireRecord };
