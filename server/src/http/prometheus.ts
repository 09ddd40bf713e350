import type { FastifyInstance } from 'fastify';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RECORD_KINDS, STATE_CODE } from '@rlhf-monitor/contract';
import type { StatusThresholds } from '../analytics/status';
import type { Ingestor } from '../ingest/ingest';
import { sharedStatus } from '../query/status';
import type { Store } from '../store/types';

/** A metric or label name as Prometheus allows it: [a-zA-Z_][a-zA-Z0-9_]*. */
export function promName(s: string): string {
  const cleaned = s.replace(/[^a-zA-Z0-9_]/g, '_');
  return /^[a-zA-Z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/**
 * The gauge for a deployment metric: Prometheus wants base units, so `latency_p99_ms` is exposed as
 * `rlhf_deployment_latency_p99_seconds` (value / 1000); every other name is only sanitised.
 */
export function deploymentGauge(metric: string): { name: string; scale: number } {
  const base = promName(metric);
  return base.endsWith('_ms')
    ? { name: `rlhf_deployment_${base.slice(0, -3)}_seconds`, scale: 1e-3 }
    : { name: `rlhf_deployment_${base}`, scale: 1 };
}

/**
 * GET /metrics: the service's own counters plus the latest value of every deployment-phase metric as a
 * gauge `rlhf_deployment_<name>{run, <labels>}` (see deploymentGauge), and training liveness gauges, so Prometheus alert rules
 * can watch deployment health. Extra collectors (drift, phase state) plug in via `addCollector`.
 */
export class PrometheusExporter {
  readonly registry = new Registry();
  readonly queryDuration: Histogram<'type'>;
  readonly requestDuration: Histogram<'method' | 'route' | 'code'>;
  private readonly dynamic = new Map<string, Gauge<string>>();
  private readonly collectors: Array<() => Promise<void>> = [];

  constructor(
    private readonly store: Store,
    ingestor: Ingestor,
    private readonly clock: () => number,
    private readonly thresholds: StatusThresholds,
    /** Records stored so far (see sharedStatus): a scrape reuses a status computed moments ago while it stays. */
    private readonly dataVersion?: () => number
  ) {
    const counters = ingestor.counters;
    new Counter({
      name: 'rlhf_ingest_records_total',
      help: 'Records accepted by ingest, per kind.',
      labelNames: ['kind'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const kind of RECORD_KINDS) {
          this.inc({ kind }, counters.accepted[kind]);
        }
      },
    });
    new Counter({
      name: 'rlhf_ingest_rejected_total',
      help: 'Ingest batches rejected by validation (nothing of them was stored).',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(counters.rejectedBatches);
      },
    });
    this.queryDuration = new Histogram({
      name: 'rlhf_query_duration_seconds',
      help: 'Time to answer one query target, per query type.',
      labelNames: ['type'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    // Every request from its first byte to its last one written, by route (the pattern, so the label set stays
    // small): what the service spends per request, apart from the client's own time and the network's.
    this.requestDuration = new Histogram({
      name: 'rlhf_http_request_duration_seconds',
      help: 'Time to answer one HTTP request, from receiving it to the last byte of the answer, per route.',
      labelNames: ['method', 'route', 'code'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.processGauges();
    this.addCollector(() => this.collectDeployment());
    this.addCollector(() => this.collectTraining());
    this.addCollector(() => this.collectEvaluation());
  }

  /** Event-loop delay between scrapes (names as prom-client's default metrics, whose full set fails promtool's lint). */
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });

  /**
   * The process itself: resident memory, heap, and event-loop delay since the last scrape (a health check or an
   * ingest waits that long behind the slice running), so an alert can say the service is falling behind.
   */
  private processGauges() {
    const registers = [this.registry];
    const delay = this.loopDelay;
    delay.enable();
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    // The histogram holds the time between two of its 10 ms ticks: the delay is what exceeds the tick.
    const seconds = (ns: number) => (Number.isFinite(ns) ? Math.max(0, ns - 10e6) / 1e9 : 0);
    gauge('nodejs_eventloop_lag_p50_seconds', 'Median event-loop delay since the last scrape.', () =>
      seconds(delay.percentile(50))
    );
    gauge('nodejs_eventloop_lag_p99_seconds', '99th percentile event-loop delay since the last scrape.', () =>
      seconds(delay.percentile(99))
    );
    // Read last: it starts the next window.
    gauge('nodejs_eventloop_lag_max_seconds', 'Longest event-loop delay since the last scrape.', () => {
      const max = seconds(delay.max);
      delay.reset();
      return max;
    });
    const memory = (name: string, help: string, key: keyof NodeJS.MemoryUsage) =>
      gauge(name, help, () => process.memoryUsage()[key]);
    memory('process_resident_memory_bytes', 'Resident memory size in bytes.', 'rss');
    memory('nodejs_heap_size_total_bytes', 'V8 heap committed, in bytes.', 'heapTotal');
    memory('nodejs_heap_size_used_bytes', 'V8 heap in use, in bytes.', 'heapUsed');
    memory('nodejs_external_memory_bytes', 'Memory of C++ objects bound to JavaScript objects, in bytes.', 'external');
  }

  addCollector(c: () => Promise<void>) {
    this.collectors.push(c);
  }

  /** A gauge whose label set may grow as new series appear (prom-client fixes label names at creation). */
  gauge(name: string, help: string, labelNames: string[]): Gauge<string> {
    const existing = this.dynamic.get(name);
    const known = (existing as unknown as { labelNames?: string[] } | undefined)?.labelNames ?? [];
    if (existing && labelNames.every((l) => known.includes(l))) {
      return existing;
    }
    if (existing) {
      this.registry.removeSingleMetric(name);
    }
    const g = new Gauge({
      name,
      help,
      labelNames: [...new Set([...known, ...labelNames])],
      registers: [this.registry],
    });
    this.dynamic.set(name, g);
    return g;
  }

  private async collectDeployment() {
    // A retired version's last values would hold alerts firing forever: only current series are exported.
    const fresh = this.clock() - this.thresholds.deploymentStaleMs;
    const latest = (await this.store.latest({ phase: 'deployment' })).filter((s) => s.ts >= fresh);
    const byName = new Map<string, typeof latest>();
    for (const s of latest) {
      const { name } = deploymentGauge(s.name);
      byName.set(name, [...(byName.get(name) ?? []), s]);
    }
    for (const [name, series] of byName) {
      const { scale } = deploymentGauge(series[0].name);
      const labelNames = [...new Set(series.flatMap((s) => ['run', ...Object.keys(s.labels).map(promName)]))];
      const g = this.gauge(name, `Latest value of deployment metric "${series[0].name}".`, labelNames);
      g.reset();
      for (const s of series) {
        const labels: Record<string, string> = { run: s.run };
        for (const [k, v] of Object.entries(s.labels)) {
          labels[promName(k)] = v;
        }
        g.set(labels, s.value * scale);
      }
    }
  }

  private async collectTraining() {
    const latest = await this.store.latest({ phase: 'training' });
    const lastUpdate = new Map<string, number>();
    const lastStep = new Map<string, number>();
    const maxSteps = new Map<string, number>();
    for (const s of latest) {
      lastUpdate.set(s.run, Math.max(lastUpdate.get(s.run) ?? 0, s.ts));
      if (s.name === 'max_steps') {
        maxSteps.set(s.run, s.value);
      } else if (s.step !== null) {
        lastStep.set(s.run, Math.max(lastStep.get(s.run) ?? 0, s.step));
      }
    }
    const updated = this.gauge(
      'rlhf_training_last_update_timestamp_seconds',
      'Unix time of the latest training metric of each run.',
      ['run']
    );
    const progress = this.gauge('rlhf_training_progress_ratio', 'Latest step / max_steps of each run.', ['run']);
    updated.reset();
    progress.reset();
    for (const [run, ts] of lastUpdate) {
      updated.set({ run }, ts / 1000);
      const max = maxSteps.get(run);
      if (max && lastStep.has(run)) {
        progress.set({ run }, Math.min(1, (lastStep.get(run) ?? 0) / max));
      }
    }
  }

  /** Production drift per feature and the four phase states, judged now with the status rules' thresholds. */
  private async collectEvaluation() {
    const now = this.clock();
    const th = this.thresholds;
    const psi = this.gauge(
      'rlhf_drift_psi',
      'PSI of each numeric feature: current source (last 24 h) against the reference source (last 7 days).',
      ['feature', 'reference', 'current']
    );
    psi.reset();
    // One computation for both gauges, shared with the status query asked at about the same time.
    const { phases, drift } = await sharedStatus(this.store, { at: now, now, th, version: this.dataVersion?.() });
    for (const d of drift) {
      if (d.psi !== null) {
        psi.set({ feature: d.feature, reference: th.referenceSource, current: th.currentSource }, d.psi);
      }
    }
    const state = this.gauge('rlhf_phase_state', 'Phase state: 0 ok, 1 warning, 2 critical, -1 unknown.', ['phase']);
    state.reset();
    for (const s of phases) {
      state.set({ phase: s.phase }, STATE_CODE[s.state]);
    }
  }

  routes(app: FastifyInstance) {
    app.addHook('onClose', async () => this.loopDelay.disable());
    app.get('/metrics', async (_req, reply) => {
      for (const c of this.collectors) {
        await c();
      }
      return reply.type(this.registry.contentType).send(await this.registry.metrics());
    });
  }
}
