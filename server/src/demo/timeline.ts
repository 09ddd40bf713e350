// The demo's story, in one place: when each thing happens (days after the simulation start) and how often
// each process reports. With the default start (now - 7 days) the week reads:
//   day 0.25  PPO run ppo-llama3-8b starts (2 nodes x 4 GPUs), logs every 8 min, checkpoint every 500 steps
//   day 0.6   DPO run dpo-llama3-8b starts (1 node x 4 GPUs), finishes ~3 days later
//   day 2.4   PPO stalls for 50 min (NCCL timeout on node-1), then resumes
//   day 2.5   serve-prod v2 canary (10% of traffic); day 3.0 full rollout, v1 retired
//   day 2.5-7  production responses grow longer (v2 policy writes more): response_length drifts
//   day 5.6   serving incident on v2: 40 min of KV-cache exhaustion, error rate 6-10%, p99 > 2 s
//   day 5.5+  PPO reward hacking: reward keeps rising while KL runs away and entropy collapses
//   day 1.3, 3.8, 5.2  reject-rate spikes in the annotation pipeline (then every 2.3 days)
//   all week  annotation batches (one careless annotator, one adversarial now and then),
//             reward-model calibration slowly worsens (ECE ~0.03 -> > 0.1)

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export const TIMELINE = {
  ppoStart: 0.25 * DAY,
  ppoStallAt: 2.4 * DAY,
  ppoStallFor: 50 * MINUTE,
  hackingStart: 5.5 * DAY,
  dpoStart: 0.6 * DAY,
  canaryStart: 2.5 * DAY,
  rolloutAt: 3.0 * DAY,
  incidentAt: 5.6 * DAY,
  incidentFor: 40 * MINUTE,
  /** Reject-rate spikes in the annotation pipeline (30-70 min each), then one every `rejectSpikeEvery`. */
  rejectSpikes: [1.3 * DAY, 3.8 * DAY, 5.2 * DAY],
  rejectSpikeEvery: 2.3 * DAY,
  /** Production drift ramps from here to `driftFull`. */
  driftStart: 2.5 * DAY,
  driftFull: 7.0 * DAY,
  /** Reward-model miscalibration reaches its week-end level here. */
  calibrationFull: 7.0 * DAY,
};

/** How often each process reports (ms). Volume lands around 95k records a week (2-5 s to seed here). */
export const CADENCE = {
  /** Shorter than the 10-minute stall rule, so a healthy run is never judged stalled between two logs. */
  trainingLog: 8 * MINUTE,
  system: 30 * MINUTE,
  deployment: 2 * MINUTE,
  pipelineCounters: 10 * MINUTE,
  /** Mean gap between annotated preference pairs, per dataset. */
  helpfulnessItem: 8 * MINUTE,
  safetyItem: 16 * MINUTE,
  evalJob: HOUR,
  productionSample: 12 * MINUTE,
};

/** Traffic shape: 0 at the night trough (03:00 UTC), 1 at the afternoon peak (15:00 UTC). */
export function dailyLoad(t: number): number {
  const hour = (((t % DAY) + DAY) % DAY) / HOUR;
  return 0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
}

/** 0 before `from`, 1 after `to`, linear in between. */
export function ramp(t: number, from: number, to: number): number {
  return t <= from ? 0 : t >= to ? 1 : (t - from) / (to - from);
}

/** Rounds to 4 significant digits: keeps payloads and the store small without visibly changing a curve. */
export function sig(v: number, digits = 4): number {
  return v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(digits));
}
