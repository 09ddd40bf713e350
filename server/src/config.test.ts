import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_STATUS_THRESHOLDS } from './analytics/status';
import { configFromEnv } from './config';
import { post } from './http/testing';
import { startService } from './service';

describe('the service configuration', () => {
  it('is validated once, from the environment, into one object', () => {
    const c = configFromEnv({ RLHF_PORT: '9000', RLHF_DEMO: '0', RLHF_STATUS_MAX_ECE: '0.3', RLHF_API_KEY: '' });
    expect(c).toMatchObject({ port: 9000, demo: false, apiKey: undefined, host: '127.0.0.1', db: 'data/rlhf.db' });
    expect(c.status).toEqual({ ...DEFAULT_STATUS_THRESHOLDS, maxEce: 0.3 });
    expect(() => configFromEnv({ RLHF_PORT: 'eighty' })).toThrow(/RLHF_PORT must be an integer/);
    expect(() => configFromEnv({ RLHF_STATUS_KL_BUDGET: 'lots' })).toThrow(/RLHF_STATUS_KL_BUDGET/);
    expect(c.replicaRefreshSeconds).toBe(15);
    expect(configFromEnv({ RLHF_REPLICA_REFRESH_SECONDS: '0.5' }).replicaRefreshSeconds).toBe(0.5);
    for (const bad of ['soon', '', '0', '-1', '1e9']) {
      expect(() => configFromEnv({ RLHF_REPLICA_REFRESH_SECONDS: bad })).toThrow(
        `RLHF_REPLICA_REFRESH_SECONDS must be a number of seconds from 0.1 to 86400 (e.g. 15), got "${bad}"`
      );
    }
  });

  it('is what the status query judges by (passed down, not read again from process.env)', async () => {
    // ECE 0.4: over the default 0.1, under a configured 0.5.
    const evaluation = async (status?: typeof DEFAULT_STATUS_THRESHOLDS) => {
      const svc = await startService(status ? { status } : {});
      try {
        const now = Date.now();
        const preds = Array.from({ length: 40 }, (_, i) => ({
          kind: 'prediction',
          model: 'rm',
          confidence: 0.9,
          correct: i % 2 === 0,
          ts: now - 60_000 + i,
        }));
        expect((await post(`${svc.url}/api/v1/ingest`, preds)).status).toBe(200);
        const r = await post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'S', type: 'status' }] });
        const [phases, states, reasons] = r.json.results.S.frames[0].data.values;
        const i = phases.indexOf('evaluation');
        return { state: states[i], reason: reasons[i] as string };
      } finally {
        await svc.close();
      }
    };
    expect(await evaluation()).toEqual({ state: 'warning', reason: expect.stringMatching(/ECE 0\.400 > 0\.1/) });
    const lenient = await evaluation({ ...DEFAULT_STATUS_THRESHOLDS, maxEce: 0.5 });
    expect(lenient.reason).not.toMatch(/ECE 0\.400 >/);
  });

  it('nothing but config.ts (and the CLI client) reads process.env', () => {
    const src = path.join(__dirname);
    const readers = (fs.readdirSync(src, { recursive: true }) as string[])
      .filter((f) => /\.ts$/.test(f) && !/\.test\.ts$|testing\.ts$/.test(f))
      .filter((f) => /process\.env/.test(fs.readFileSync(path.join(src, f), 'utf8')));
    expect(readers.sort()).toEqual(['cli/main.ts', 'config.ts']);
  });
});
