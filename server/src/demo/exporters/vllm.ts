// A simulated vLLM OpenAI-compatible server's /metrics (V1 engine), driven by the demo's serving story
// (../deployment.ts): the versions live at that moment of the story, the daily traffic cycle, and the v2
// incident (KV cache exhausted: 5xx errors, p99 far past the 2 s SLO, long queues, preemptions). Counters and
// histograms accumulate from the exporter's creation (a restart resets them, as a vLLM restart does).
import { v2Share, inIncident } from '../deployment';
import { dailyLoad, ramp, TIMELINE } from '../timeline';
import { Exposition, lognormalCdf, type HistogramSample, type Labels } from './exposition';
import {
  buckets125,
  VLLM_HTTP_METRICS,
  VLLM_METRICS,
  VLLM_REQUEST_LATENCY_BUCKETS,
  VLLM_TPOT_BUCKETS,
  VLLM_TTFT_BUCKETS,
  type ReferenceMetric,
} from './reference';

/** `--served-model-name` of the two versions of the story's serve-prod deployment. */
export const VLLM_MODELS = { v1: 'rlhf-policy-v1', v2: 'rlhf-policy-v2' } as const;
export const VLLM_MAX_MODEL_LEN = 8192;
const CHAT = '/v1/chat/completions';
const STEP_MS = 10_000;

const metric = (name: string): ReferenceMetric => {
  const m = [...VLLM_METRICS, ...VLLM_HTTP_METRICS].find((x) => x.name === name);
  if (!m) {
    throw new Error(`${name} is not in the vLLM reference list`);
  }
  return m;
};

/** What one version of the deployment is doing at a moment of the story. */
export interface ServingState {
  version: 'v1' | 'v2';
  rps: number;
  errorRate: number;
  kvCache: number;
  /** Log-normal latency models: median (s) and log-space sigma. */
  e2e: { median: number; sigma: number };
  ttft: { median: number; sigma: number };
  tpot: { median: number; sigma: number };
  queue: { median: number; sigma: number };
  promptTokens: number;
  generationTokens: number;
  preemptionsPerRequest: number;
  prefixHitRatio: number;
}

/** A slow, deterministic wobble so gauges are not flat lines (no RNG: every scrape is reproducible). */
function wobble(t: number, phase: number): number {
  return 1 + 0.04 * Math.sin(t / 37_000 + phase) + 0.025 * Math.sin(t / 11_000 + 2 * phase);
}

/** The serving story at wall time t (rel = ms since the story's start), as deployment.ts tells it. */
export function servingStates(t: number, rel: number): ServingState[] {
  const load = dailyLoad(t);
  const total = 40 * (0.35 + 0.65 * load);
  const share = v2Share(rel);
  const versions: Array<{ version: 'v1' | 'v2'; share: number }> =
    share === 0
      ? [{ version: 'v1', share: 1 }]
      : share < 1
        ? [
            { version: 'v1', share: 1 - share },
            { version: 'v2', share },
          ]
        : [{ version: 'v2', share: 1 }];
  return versions.map(({ version, share: s }, i) => {
    const incident = version === 'v2' && inIncident(rel);
    const w = wobble(t, i);
    const median = (version === 'v2' ? 0.14 : 0.15) * (1 + 0.3 * load) * w;
    return {
      version,
      rps: total * s * w,
      errorRate: incident ? 0.08 : 0.002,
      kvCache: incident ? 0.985 : Math.min(1, (0.25 + 0.5 * load) * w),
      e2e: incident ? { median: median * 2.2, sigma: 1.15 } : { median, sigma: 0.42 + 0.1 * load },
      ttft: incident ? { median: 0.35, sigma: 1.0 } : { median: 0.045 * (1 + 0.5 * load), sigma: 0.5 },
      tpot: incident ? { median: 0.045, sigma: 0.6 } : { median: 0.018 * (1 + 0.2 * load), sigma: 0.3 },
      queue: incident ? { median: 0.9, sigma: 1.0 } : { median: 0.004 * (1 + 2 * load), sigma: 1.0 },
      promptTokens: 350,
      // v2 writes longer answers as the week goes on (the production drift of the story).
      generationTokens: version === 'v2' ? 290 * (1 + 0.4 * ramp(rel, TIMELINE.driftStart, TIMELINE.driftFull)) : 290,
      preemptionsPerRequest: incident ? 0.25 : 0.001,
      prefixHitRatio: incident ? 0.2 : 0.45,
    };
  });
}

const lnMean = (m: { median: number; sigma: number }) => m.median * Math.exp((m.sigma * m.sigma) / 2);

class Hist {
  readonly cumulative: number[];
  count = 0;
  sum = 0;
  constructor(readonly bounds: number[]) {
    this.cumulative = bounds.map(() => 0);
  }
  /** Adds n observations of a log-normal distribution (fractions accumulate; the exposition floors them). */
  addLognormal(n: number, d: { median: number; sigma: number }): void {
    this.bounds.forEach((le, i) => (this.cumulative[i] += n * lognormalCdf(le, d.median, d.sigma)));
    this.count += n;
    this.sum += n * lnMean(d);
  }
  sample(labels: Labels): HistogramSample {
    // Floors keep counts integral and cumulative (each bucket accumulates no more than the next one).
    return {
      labels,
      bounds: this.bounds,
      cumulative: this.cumulative.map(Math.floor),
      count: Math.floor(this.count),
      sum: this.sum,
    };
  }
}

interface ModelCounters {
  success: Record<'stop' | 'length' | 'abort', number>;
  promptTokens: number;
  generationTokens: number;
  preemptions: number;
  prefixQueries: number;
  prefixHits: number;
  e2e: Hist;
  queue: Hist;
  inference: Hist;
  ttft: Hist;
  tpot: Hist;
  promptLen: Hist;
  genLen: Hist;
  last?: ServingState;
}

function newModel(): ModelCounters {
  const len = buckets125(VLLM_MAX_MODEL_LEN);
  return {
    success: { stop: 0, length: 0, abort: 0 },
    promptTokens: 0,
    generationTokens: 0,
    preemptions: 0,
    prefixQueries: 0,
    prefixHits: 0,
    e2e: new Hist(VLLM_REQUEST_LATENCY_BUCKETS),
    queue: new Hist(VLLM_REQUEST_LATENCY_BUCKETS),
    inference: new Hist(VLLM_REQUEST_LATENCY_BUCKETS),
    ttft: new Hist(VLLM_TTFT_BUCKETS),
    tpot: new Hist(VLLM_TPOT_BUCKETS),
    promptLen: new Hist(len),
    genLen: new Hist(len),
  };
}

/** The simulated server: call `scrape(now)` for the exposition at that moment. */
export class VllmExporter {
  private readonly models = new Map<string, ModelCounters>();
  private http = { ok: 0, clientError: 0, serverError: 0 };
  private t: number;

  constructor(
    /** The demo story's start (ms): where "day 0" of the timeline is. */
    private readonly storyStart: () => number,
    createdAt: number
  ) {
    this.t = createdAt;
  }

  /** Integrates the story's rates from the previous scrape to `now` in 10 s steps. */
  private advance(now: number): void {
    while (this.t < now) {
      const dt = Math.min(STEP_MS, now - this.t);
      const mid = this.t + dt / 2;
      for (const s of servingStates(mid, mid - this.storyStart())) {
        const name = VLLM_MODELS[s.version];
        const m = this.models.get(name) ?? newModel();
        this.models.set(name, m);
        const n = (s.rps * dt) / 1000;
        const failed = n * s.errorRate;
        const done = n - failed;
        m.success.stop += done * 0.93;
        m.success.length += done * 0.07;
        m.success.abort += failed;
        m.promptTokens += n * s.promptTokens;
        m.generationTokens += done * s.generationTokens;
        m.preemptions += n * s.preemptionsPerRequest;
        m.prefixQueries += n * s.promptTokens;
        m.prefixHits += n * s.promptTokens * s.prefixHitRatio;
        m.e2e.addLognormal(n, s.e2e);
        m.queue.addLognormal(n, s.queue);
        m.inference.addLognormal(n, { median: Math.max(0.01, s.e2e.median - s.queue.median), sigma: s.e2e.sigma });
        m.ttft.addLognormal(n, s.ttft);
        m.tpot.addLognormal(n, s.tpot);
        m.promptLen.addLognormal(n, { median: s.promptTokens * 0.8, sigma: 0.6 });
        m.genLen.addLognormal(done, { median: s.generationTokens * 0.8, sigma: 0.6 });
        m.last = s;
        this.http.ok += done;
        this.http.serverError += failed;
        this.http.clientError += n * 0.001;
      }
      this.t += dt;
    }
  }

  scrape(now: number): string {
    this.advance(now);
    const live = new Set<string>(servingStates(now, now - this.storyStart()).map((s) => VLLM_MODELS[s.version]));
    // A retired version's counters stay exported (its engine still runs) but its gauges drop to idle.
    const models = [...this.models.entries()].map(([name, m]) => ({
      m,
      labels: { model_name: name, engine: '0' },
      live: live.has(name),
    }));
    const gauge = (f: (s: ServingState) => number) =>
      models.map(({ m, labels, live: l }) => ({ labels, value: l && m.last ? f(m.last) : 0 }));
    const counter = (f: (m: ModelCounters) => number) =>
      models.map(({ m, labels }) => ({ labels, value: Math.floor(f(m)) }));
    const hist = (f: (m: ModelCounters) => Hist) => models.map(({ m, labels }) => f(m).sample(labels));
    const e = new Exposition();
    const running = (s: ServingState) => Math.round(s.rps * lnMean(s.e2e));
    const waiting = (s: ServingState) => Math.round(s.rps * lnMean(s.queue));
    e.scalar(metric('vllm:num_requests_running'), gauge(running))
      .scalar(metric('vllm:num_requests_waiting'), gauge(waiting))
      .scalar(
        metric('vllm:gpu_cache_usage_perc'),
        gauge((s) => Number(s.kvCache.toFixed(4)))
      )
      .scalar(
        metric('vllm:kv_cache_usage_perc'),
        gauge((s) => Number(s.kvCache.toFixed(4)))
      )
      .scalar(
        metric('vllm:gpu_prefix_cache_queries_total'),
        counter((m) => m.prefixQueries)
      )
      .scalar(
        metric('vllm:gpu_prefix_cache_hits_total'),
        counter((m) => m.prefixHits)
      )
      .scalar(
        metric('vllm:prefix_cache_queries_total'),
        counter((m) => m.prefixQueries)
      )
      .scalar(
        metric('vllm:prefix_cache_hits_total'),
        counter((m) => m.prefixHits)
      )
      .scalar(
        metric('vllm:num_preemptions_total'),
        counter((m) => m.preemptions)
      )
      .scalar(
        metric('vllm:prompt_tokens_total'),
        counter((m) => m.promptTokens)
      )
      .scalar(
        metric('vllm:generation_tokens_total'),
        counter((m) => m.generationTokens)
      )
      .scalar(
        metric('vllm:request_success_total'),
        models.flatMap(({ m, labels }) =>
          (['stop', 'length', 'abort'] as const).map((reason) => ({
            labels: { ...labels, finished_reason: reason },
            value: Math.floor(m.success[reason]),
          }))
        )
      )
      .histogram(
        metric('vllm:request_prompt_tokens'),
        hist((m) => m.promptLen)
      )
      .histogram(
        metric('vllm:request_generation_tokens'),
        hist((m) => m.genLen)
      )
      .histogram(
        metric('vllm:time_to_first_token_seconds'),
        hist((m) => m.ttft)
      )
      .histogram(
        metric('vllm:time_per_output_token_seconds'),
        hist((m) => m.tpot)
      )
      .histogram(
        metric('vllm:e2e_request_latency_seconds'),
        hist((m) => m.e2e)
      )
      .histogram(
        metric('vllm:request_queue_time_seconds'),
        hist((m) => m.queue)
      )
      .histogram(
        metric('vllm:request_inference_time_seconds'),
        hist((m) => m.inference)
      )
      .scalar(
        metric('http_requests_total'),
        (
          [
            ['2xx', this.http.ok],
            ['4xx', this.http.clientError],
            ['5xx', this.http.serverError],
          ] as const
        ).map(([status, v]) => ({ labels: { handler: CHAT, method: 'POST', status }, value: Math.floor(v) }))
      );
    return e.text();
  }
}
