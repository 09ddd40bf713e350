import fs from 'node:fs';
import path from 'node:path';
import { startService, type Service } from '../service';
import { fieldValues, post, tempDb } from './testing';

const FILE = path.join(__dirname, '../../testdata/trainer_state_qwen05_verifier.json');

describe('POST /api/v1/import/trainer-state with a real trainer_state.json', () => {
  const db = tempDb();
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ db: db.file });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('stores every numeric log_history key at its step, names unchanged', async () => {
    const body = fs.readFileSync(FILE, 'utf8');
    const r = await post(`${svc.url}/api/v1/import/trainer-state?run=qwen05`, body);
    // 31 entries: 24 train (epoch, grad_norm, learning_rate, loss), 6 eval (epoch + 4 eval_*),
    // 1 summary (epoch + 5 train_*), plus max_steps = 24*4 + 6*5 + 6 + 1.
    expect(r).toEqual({ status: 200, json: { accepted: 133 } });

    const q = await post(`${svc.url}/api/v1/query`, {
      from: 0,
      to: Date.now() + 1000,
      queries: [
        { refId: 'L', type: 'timeseries', run: 'qwen05', metric: 'loss' },
        { refId: 'E', type: 'timeseries', run: 'qwen05', metric: 'eval_loss' },
        { refId: 'S', type: 'timeseries', run: 'qwen05', metric: 'train_*' },
        { refId: 'C', type: 'catalog', of: 'metrics', run: 'qwen05' },
      ],
    });
    const loss = q.json.results.L.frames[0];
    expect(fieldValues(loss, 'step').slice(0, 3)).toEqual([5, 10, 15]);
    expect(fieldValues(loss, 'value')[0]).toBeCloseTo(1.2847743034362793, 12);
    const evalLoss = q.json.results.E.frames[0];
    expect(fieldValues(evalLoss, 'step')).toEqual([20, 40, 60, 80, 100, 120]);
    expect(fieldValues(evalLoss, 'value')[0]).toBeCloseTo(0.10790343582630157, 12);
    const summary = q.json.results.S.frames.map((f: { schema: { name: string } }) => f.schema.name);
    expect(summary).toEqual([
      'qwen05 train_loss',
      'qwen05 train_runtime',
      'qwen05 train_samples_per_second',
      'qwen05 train_steps_per_second',
    ]);
    expect(fieldValues(q.json.results.S.frames[0], 'value')).toEqual([0.11913943774998188]);
    expect(fieldValues(q.json.results.C.frames[0], 'value')).toEqual([
      'epoch',
      'eval_loss',
      'eval_runtime',
      'eval_samples_per_second',
      'eval_steps_per_second',
      'grad_norm',
      'learning_rate',
      'loss',
      'max_steps',
      'total_flos',
      'train_loss',
      'train_runtime',
      'train_samples_per_second',
      'train_steps_per_second',
    ]);
  });

  it('rejects a missing run, invalid JSON and a file without log_history, storing nothing', async () => {
    const before = await svc.store.counts();
    const url = `${svc.url}/api/v1/import/trainer-state`;
    expect((await post(url, '{"log_history":[]}')).json.error).toMatch(/query parameter "run" is required/);
    expect((await post(`${url}?run=x`, '{"log_hist')).json.error).toMatch(/not valid JSON/);
    expect((await post(`${url}?run=x`, '{"global_step":3}')).json.error).toMatch(/"log_history" array/);
    const badStep = await post(`${url}?run=x`, '{"log_history":[{"loss":1,"step":1},{"loss":2,"step":-4}]}');
    expect(badStep.status).toBe(400);
    expect(badStep.json.error).toMatch(/log_history\[1\]: "step" must be an integer >= 0/);
    expect(await svc.store.counts()).toEqual(before);
  });
});
