// `npm start` on an empty store, for real (wall clock, SQLite file, HTTP): within 10 s every query type answers
// with non-empty frames, and the phase states tell the demo's story.
import { fieldValues, post, tempDb } from '../http/testing';
import { QUERY_TYPES } from '@rlhf-monitor/contract';
import { startService, type Service } from '../service';

/** One realistic panel target per query type. A new query type must be added here. */
const TARGETS: Record<string, Record<string, unknown>> = {
  timeseries: { run: 'ppo-llama3-8b', metric: 'objective/*' },
  events: {},
  catalog: { of: 'runs' },
  status: {},
  calibration: { model: 'reward-model' },
  drift: { feature: 'response_length', reference: 'training', current: 'production' },
  agreement: { dataset: 'prefs-helpfulness' },
  health: { run: 'ppo-llama3-8b' },
};

const rows = (frame: any): number => (frame.data.values[0] ?? []).length;

describe('demo startup', () => {
  const db = tempDb();
  let svc: Service;
  let started = 0;

  beforeAll(async () => {
    started = Date.now();
    svc = await startService({ demo: true, db: db.file, port: 0 });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('answers every query type with non-empty frames within 10 s of start', async () => {
    const queries = [...QUERY_TYPES].map((type) => {
      if (!TARGETS[type]) {
        throw new Error(`query type "${type}" has no target in startup.test.ts: add one`);
      }
      return { refId: type, type, ...TARGETS[type] };
    });
    const now = Date.now();
    let empty: string[] = [...QUERY_TYPES];
    let last: any;
    while (empty.length && Date.now() - started < 10_000) {
      const res = await post(`${svc.url}/api/v1/query`, { from: now - 7 * 86_400_000, to: now + 60_000, queries });
      expect(res.status).toBe(200);
      last = res.json.results;
      empty = queries
        .map((q) => q.refId)
        .filter((id) => !last[id]?.frames?.length || last[id].frames.some((f: any) => rows(f) === 0));
      if (empty.length) {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect({ empty, after_ms: Date.now() - started }).toEqual({ empty: [], after_ms: expect.any(Number) });
    expect(Date.now() - started).toBeLessThan(10_000);

    await svc.seeded;
    const res = await post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'S', type: 'status' }] });
    const frame = res.json.results.S.frames[0];
    const state = Object.fromEntries(
      (fieldValues(frame, 'phase') as string[]).map((p, i) => [p, (fieldValues(frame, 'state') as string[])[i]])
    );
    // The week ends with the PPO run reward hacking and production drifting; serving recovered from its incident.
    expect(state).toEqual({ data: 'ok', training: 'critical', evaluation: 'warning', deployment: 'ok' });

    // Prometheus sees the demo's serving gauges, so the alert rules have something to fire on.
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    for (const name of ['error_rate', 'latency_p99_(ms|seconds)', 'requests_per_second', 'kv_cache_usage']) {
      expect(metrics).toMatch(
        new RegExp(`^rlhf_deployment_${name}\\{[^}]*run="serve-prod"[^}]*version="v2"[^}]*\\} \\S+$`, 'm')
      );
    }
  });
});
