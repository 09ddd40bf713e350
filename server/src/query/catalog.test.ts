// The `catalog` query end to end: crafted records through POST /api/v1/ingest into a temp SQLite file, names and
// the runs table (`detail`) read back through POST /api/v1/query.
import { CATALOG_RUN_FIELDS } from '@rlhf-monitor/contract';
import { fieldValues, post, targetError, tempDb } from '../http/testing';
import { startService, type Service } from '../service';

const T = Date.parse('2026-11-25T12:00:00Z');
const MIN = 60_000;

describe('catalog query', () => {
  const db = tempDb();
  let svc: Service;

  const query = (target: Record<string, unknown>, from = T - 60 * MIN) =>
    post(`${svc.url}/api/v1/query`, { from, to: T, queries: [{ refId: 'C', type: 'catalog', ...target }] });
  const frameOf = async (target: Record<string, unknown>, from?: number) => {
    const r = await query(target, from);
    expect(r.status).toBe(200);
    expect(r.json.results.C.error).toBeUndefined();
    return r.json.results.C.frames[0];
  };

  beforeAll(async () => {
    svc = await startService({ db: db.file, clock: () => T });
    const dep = { phase: 'deployment', labels: { version: 'v1', track: 'stable' } };
    const records = [
      // ppo: training metrics with steps, plus an evaluation metric at a later step; the newest point has no step.
      { kind: 'metric', run: 'ppo', name: 'objective/kl', value: 0.1, step: 100, ts: T - 30 * MIN },
      { kind: 'metric', run: 'ppo', name: 'objective/kl', value: 0.2, step: 200, ts: T - 20 * MIN },
      {
        kind: 'metric',
        run: 'ppo',
        name: 'eval/win_rate',
        value: 0.6,
        step: 250,
        ts: T - 15 * MIN,
        phase: 'evaluation',
      },
      { kind: 'metric', run: 'ppo', name: 'gpu_utilization', value: 0.9, ts: T - 5 * MIN, labels: { gpu: '0' } },
      { kind: 'metric', run: 'ppo', name: 'gpu_utilization', value: 0.8, ts: T - 5 * MIN, labels: { gpu: '1' } },
      { kind: 'metric', run: 'serve', name: 'error_rate', value: 0.01, ts: T - 2 * MIN, ...dep },
      // An old run, outside every time range asked below: the catalog is not limited to the range.
      { kind: 'metric', run: 'annotate', name: 'reject_rate', value: 0.02, ts: T - 3 * 86_400_000, phase: 'data' },
    ];
    const res = await post(`${svc.url}/api/v1/ingest`, records);
    expect(res).toMatchObject({ status: 200, json: { accepted: records.length } });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('lists names in one `value` field, for template variables', async () => {
    const f = await frameOf({ of: 'runs' });
    expect(f.schema.fields.map((x: { name: string }) => x.name)).toEqual(['value']);
    expect(fieldValues(f, 'value')).toEqual(['annotate', 'ppo', 'serve']);
  });

  it('with detail: one row per run, its phases in pipeline order, metric count, newest step and time', async () => {
    const f = await frameOf({ of: 'runs', detail: true });
    expect(f.schema.name).toBe('runs');
    expect(f.schema.fields.map((x: { name: string; type: string }) => [x.name, x.type])).toEqual([
      [CATALOG_RUN_FIELDS[0], 'string'],
      [CATALOG_RUN_FIELDS[1], 'string'],
      [CATALOG_RUN_FIELDS[2], 'number'],
      [CATALOG_RUN_FIELDS[3], 'number'],
      [CATALOG_RUN_FIELDS[4], 'time'],
    ]);
    expect(CATALOG_RUN_FIELDS).toEqual(['run', 'phases', 'metrics', 'last_step', 'last_time']);
    expect(fieldValues(f, 'run')).toEqual(['annotate', 'ppo', 'serve']);
    expect(fieldValues(f, 'phases')).toEqual(['data', 'training, evaluation', 'deployment']);
    // Distinct metric names: two GPU series of gpu_utilization count once.
    expect(fieldValues(f, 'metrics')).toEqual([1, 3, 1]);
    // The largest step of any series (eval at 250), even though the newest point (GPU) has no step.
    expect(fieldValues(f, 'last_step')).toEqual([null, 250, null]);
    expect(fieldValues(f, 'last_time')).toEqual([T - 3 * 86_400_000, T - 5 * MIN, T - 2 * MIN]);
  });

  it('with detail and phase: only the series of that phase', async () => {
    const f = await frameOf({ of: 'runs', detail: 'true', phase: 'evaluation' });
    expect(fieldValues(f, 'run')).toEqual(['ppo']);
    expect(fieldValues(f, 'phases')).toEqual(['evaluation']);
    expect(fieldValues(f, 'metrics')).toEqual([1]);
    expect(fieldValues(f, 'last_time')).toEqual([T - 15 * MIN]);
  });

  it('refuses detail for anything but runs, saying what to do', async () => {
    const r = await query({ of: 'metrics', detail: true });
    expect(r.status).toBe(200);
    const e = targetError(r, 'C');
    expect(e.status).toBe(400);
    expect(e.error).toMatch(/detail is only for of: "runs" \(got of: "metrics"\); drop detail/);
  });
});
