// Phase 4, deployment: `serve-prod` serves v1 (stable), then a v2 canary at 10% of traffic, then v2 everywhere.
// Latency percentiles come from a log-normal latency distribution whose median and spread grow with load;
// one incident (KV-cache exhaustion on v2) sends the error rate to 6-10% and p99 far past the 2 s SLO.
import { clamp, type Rng } from './random';
import { event, metric, type Process, type WireRecord } from './schedule';
import { CADENCE, TIMELINE, dailyLoad, sig } from './timeline';

export const DEPLOYMENT_RUN = 'serve-prod';

/** Standard-normal quantiles for the 95th and 99th percentiles. */
const Z95 = 1.6449;
const Z99 = 2.3263;

/** Share of production traffic served by v2 at `rel` ms after the simulation start. */
export function v2Share(rel: number): number {
  return rel < TIMELINE.canaryStart ? 0 : rel < TIMELINE.rolloutAt ? 0.1 : 1;
}

export function inIncident(rel: number): boolean {
  return rel >= TIMELINE.incidentAt && rel < TIMELINE.incidentAt + TIMELINE.incidentFor;
}

export function deploymentPhase(rng: Rng, start: number): Process[] {
  const run = DEPLOYMENT_RUN;
  const milestones: Array<{ at: number; title: string; text: string; type: string }> = [
    { at: TIMELINE.canaryStart, title: `${run}: v2 canary at 10%`, text: 'v2 = PPO checkpoint-6500.', type: 'rollout' },
    {
      at: TIMELINE.rolloutAt,
      title: `${run}: v2 rolled out to 100%`,
      text: 'Canary healthy for 12 h; v1 retired.',
      type: 'rollout',
    },
    {
      at: TIMELINE.incidentAt,
      title: `${run}: v2 error rate spike`,
      text: 'KV cache exhausted under long generations; requests failing and p99 latency over the 2 s SLO.',
      type: 'incident',
    },
    {
      at: TIMELINE.incidentAt + TIMELINE.incidentFor,
      title: `${run}: incident resolved`,
      text: 'max_num_seqs lowered and a replica added; error rate back to baseline.',
      type: 'incident',
    },
  ];
  let next = 0;
  const announcements: Process = {
    next: start + milestones[0].at,
    fire(t, out) {
      const m = milestones[next++];
      out.push(event(m.title, t, ['deployment', m.type, run], m.text, 'deployment'));
      return next < milestones.length ? start + milestones[next].at : Infinity;
    },
  };

  const serving: Process = {
    next: start + CADENCE.deployment,
    fire(t, out) {
      const rel = t - start;
      const load = dailyLoad(t);
      const totalRps = 40 * (0.35 + 0.65 * load) * rng.lognormal(0, 0.05);
      const share = v2Share(rel);
      const tracks: Array<{ version: string; track: string; share: number }> =
        share === 0
          ? [{ version: 'v1', track: 'stable', share: 1 }]
          : share < 1
            ? [
                { version: 'v1', track: 'stable', share: 1 - share },
                { version: 'v2', track: 'canary', share },
              ]
            : [{ version: 'v2', track: 'stable', share: 1 }];
      for (const tr of tracks) {
        const incident = tr.version === 'v2' && inIncident(rel);
        const rps = totalRps * tr.share;
        // Fewer requests -> noisier percentiles (the canary wobbles more than stable).
        const jitter = 0.04 / Math.sqrt(tr.share);
        let median = (tr.version === 'v2' ? 140 : 150) * (1 + 0.3 * load) * rng.lognormal(0, jitter);
        let sigma = 0.42 + 0.1 * load + Math.abs(rng.normal(0, 0.025));
        let errorRate = clamp(rng.lognormal(Math.log(0.002), 0.4), 0, 0.008);
        let kv = clamp(0.25 + 0.5 * load + rng.normal(0, 0.03), 0, 1);
        if (incident) {
          median *= 2.2;
          sigma = 1.15 + rng.normal(0, 0.05);
          errorRate = rng.uniform(0.06, 0.1);
          kv = rng.uniform(0.97, 0.995);
        }
        const meanTokens =
          tr.version === 'v2'
            ? 290 * (1 + 0.4 * clamp((rel - TIMELINE.driftStart) / (TIMELINE.driftFull - TIMELINE.driftStart), 0, 1))
            : 290;
        const o = { phase: 'deployment', labels: { version: tr.version, track: tr.track } };
        out.push(metric(run, 'requests_per_second', sig(rps), t, o));
        out.push(metric(run, 'latency_p50_ms', sig(median), t, o));
        out.push(metric(run, 'latency_p95_ms', sig(median * Math.exp(Z95 * sigma)), t, o));
        out.push(metric(run, 'latency_p99_ms', sig(median * Math.exp(Z99 * sigma)), t, o));
        out.push(metric(run, 'error_rate', sig(errorRate), t, o));
        out.push(metric(run, 'kv_cache_usage', sig(kv), t, o));
        out.push(metric(run, 'tokens_per_second', sig(rps * meanTokens * (1 - errorRate)), t, o));
      }
      return t + CADENCE.deployment;
    },
  };
  return [announcements, serving];
}

export type { WireRecord };
