import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { startService, type Service } from '../service';
import { post, tempDb } from './testing';

const PROMTOOL = '/usr/bin/promtool';

describe('GET /metrics', () => {
  const db = tempDb();
  let svc: Service;
  let text: string;
  beforeAll(async () => {
    svc = await startService({ db: db.file });
    const now = Date.now();
    await post(`${svc.url}/api/v1/ingest`, [
      {
        kind: 'metric',
        run: 'serve-prod',
        name: 'error_rate',
        value: 0.01,
        ts: now - 60_000,
        phase: 'deployment',
        labels: { version: 'v1', track: 'stable' },
      },
      {
        kind: 'metric',
        run: 'serve-prod',
        name: 'error_rate',
        value: 0.07,
        ts: now,
        phase: 'deployment',
        labels: { version: 'v1', track: 'stable' },
      },
      {
        kind: 'metric',
        run: 'serve-prod',
        name: 'latency_p99_ms',
        value: 2400,
        ts: now,
        phase: 'deployment',
        labels: { version: 'v2', track: 'canary' },
      },
      { kind: 'metric', run: 'ppo', name: 'max_steps', value: 1000, step: 0, ts: now },
      { kind: 'metric', run: 'ppo', name: 'objective/kl', value: 0.2, step: 250, ts: now },
      {
        kind: 'metric',
        run: 'serve-prod',
        name: 'error_rate',
        value: 0.5,
        ts: now - 20 * 60_000,
        phase: 'deployment',
        labels: { version: 'v0', track: 'stable' },
      },
      { kind: 'event', title: 'x' },
    ]);
    // Production response lengths shifted by +40 against training: a major PSI.
    const lengths = (source: string, shift: number) =>
      Array.from({ length: 200 }, (_, i) => ({
        kind: 'sample',
        feature: 'response_length',
        source,
        value: 100 + (i % 100) + shift,
        ts: now - 1000 * i,
      }));
    await post(`${svc.url}/api/v1/ingest`, [...lengths('training', 0), ...lengths('production', 40)]);
    await post(`${svc.url}/api/v1/ingest`, [{ kind: 'bad' }]);
    await post(`${svc.url}/api/v1/query`, { queries: [{ type: 'catalog', of: 'runs' }] });
    await fetch(`${svc.url}/api/v1/no-such-route-${Math.random()}`);
    text = await (await fetch(`${svc.url}/metrics`)).text();
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('exposes ingest counters, rejects and query latency', () => {
    expect(text).toContain('rlhf_ingest_records_total{kind="metric"} 6');
    expect(text).toContain('rlhf_ingest_records_total{kind="event"} 1');
    expect(text).toContain('rlhf_ingest_rejected_total 1');
    expect(text).toMatch(/rlhf_query_duration_seconds_count\{type="catalog"\} 1/);
    // The requests before this scrape, by route pattern and status.
    expect(text).toMatch(
      /rlhf_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/query",code="200"\} 1$/m
    );
    expect(text).toMatch(
      /rlhf_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/ingest",code="400"\} 1$/m
    );
    expect(text).toMatch(/rlhf_http_request_duration_seconds_count\{method="GET",route="unmatched",code="404"\} 1$/m);
  });

  it("exposes the process's resident memory, heap and event-loop delay", () => {
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(value('nodejs_heap_size_used_bytes'));
    expect(value('nodejs_heap_size_total_bytes')).toBeGreaterThanOrEqual(value('nodejs_heap_size_used_bytes'));
    expect(value('nodejs_heap_size_used_bytes')).toBeGreaterThan(1024 * 1024);
    for (const q of ['p50', 'p99', 'max']) {
      expect(value(`nodejs_eventloop_lag_${q}_seconds`)).toBeGreaterThanOrEqual(0);
    }
    expect(value('nodejs_eventloop_lag_max_seconds')).toBeGreaterThanOrEqual(value('nodejs_eventloop_lag_p99_seconds'));
  });

  it('exposes the latest deployment metrics as gauges with their labels', () => {
    const lines = text.split('\n').filter((l) => l.startsWith('rlhf_deployment_'));
    expect(lines).toEqual([
      'rlhf_deployment_error_rate{run="serve-prod",track="stable",version="v1"} 0.07',
      // milliseconds become the base unit Prometheus expects
      'rlhf_deployment_latency_p99_seconds{run="serve-prod",track="canary",version="v2"} 2.4',
    ]);
  });

  it('leaves out deployment series silent for longer than the staleness window', () => {
    expect(text).not.toContain('version="v0"');
  });

  it('exposes production drift PSI and the phase states', () => {
    const psi = /rlhf_drift_psi\{feature="response_length",reference="training",current="production"\} ([\d.]+)/.exec(
      text
    );
    expect(Number(psi?.[1])).toBeGreaterThan(0.25);
    // error rate 7% > 2%: deployment critical; no training step in the last 10 min is fine here (fresh run)
    expect(text).toContain('rlhf_phase_state{phase="deployment"} 2');
    expect(text).toContain('rlhf_phase_state{phase="evaluation"} 1');
    expect(text).toMatch(/rlhf_phase_state\{phase="data"\} -1/);
    expect(text).toMatch(/rlhf_phase_state\{phase="training"\} [-\d]+/);
  });

  it('exposes training liveness and progress', () => {
    expect(text).toMatch(/rlhf_training_last_update_timestamp_seconds\{run="ppo"\} \d+/);
    expect(text).toContain('rlhf_training_progress_ratio{run="ppo"} 0.25');
  });

  const check = fs.existsSync(PROMTOOL) ? it : it.skip;
  if (!fs.existsSync(PROMTOOL)) {
    if (process.env.CI === 'true') {
      it('has promtool in CI', () => {
        throw new Error(`${PROMTOOL} missing: .ci/run must apt-get install prometheus`);
      });
    }
    console.warn(`SKIPPED promtool check metrics: ${PROMTOOL} not found (apt-get install -y prometheus)`);
  }
  check('passes promtool check metrics', () => {
    const out = execFileSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(out).toBe('');
  });
});
