import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { post, tempDb } from '../http/testing';

const ROOT = path.join(__dirname, '../../..');

/** Start `npm start`'s entry point as a real process on a file store and wait until it serves. */
async function startProcess(db: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, RLHF_DB: db, RLHF_PORT: String(port), RLHF_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok) {
        return child;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('service did not start within 20 s');
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('restart durability', () => {
  const db = tempDb();
  afterAll(() => db.cleanup());

  it('keeps every acknowledged batch across a SIGTERM while ingest is in flight', async () => {
    const port = 18000 + Math.floor(Math.random() * 2000);
    const url = `http://127.0.0.1:${port}`;
    let child = await startProcess(db.file, port);
    const batch = (b: number) =>
      Array.from({ length: 2000 }, (_, i) => ({
        kind: 'metric',
        run: 'dur',
        name: 'loss',
        value: i,
        step: b * 2000 + i,
      }));
    let acknowledged = 0;
    for (let b = 0; b < 5; b++) {
      const r = await post(`${url}/api/v1/ingest`, batch(b));
      expect(r.status).toBe(200);
      acknowledged += r.json.accepted;
    }
    // Fire more batches and SIGTERM in the middle: whatever was acknowledged must be there afterwards.
    const inflight = [5, 6, 7].map((b) =>
      post(`${url}/api/v1/ingest`, batch(b)).then(
        (r) => (r.status === 200 ? r.json.accepted : 0),
        () => 0
      )
    );
    const exit = exited(child);
    child.kill('SIGTERM');
    acknowledged += (await Promise.all(inflight)).reduce((a, b) => a + b, 0);
    expect(await exit).toBe(0);

    child = await startProcess(db.file, port);
    const health = await (await fetch(`${url}/api/v1/health`)).json();
    expect(health.counts.metric).toBe(acknowledged);
    expect(acknowledged).toBeGreaterThanOrEqual(10_000);
    const stop = exited(child);
    child.kill('SIGTERM');
    expect(await stop).toBe(0);
  }, 90_000); // two process starts: slow on a busy machine (the PostgreSQL suites run next to it)
});
