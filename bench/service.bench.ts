import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../server/src/service';

// Ingest rate over HTTP (10k-record NDJSON batches) and query latency of a 1,000-point query
// over a 1,000,000-point series, on a SQLite file like `npm start` uses.
const POINTS = 1_000_000;
const BATCH = 10_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-bench-'));
  const svc = await startService({ db: path.join(dir, 'bench.db') });
  try {
    const bodies: string[] = [];
    for (let b = 0; b < POINTS / BATCH; b++) {
      const lines: string[] = new Array(BATCH);
      for (let i = 0; i < BATCH; i++) {
        const n = b * BATCH + i;
        lines[i] = JSON.stringify({
          kind: 'metric',
          run: 'bench',
          name: 'loss',
          value: Math.exp(-n / 3e5) + (n % 97) / 1e4,
          step: n,
          ts: T0 + n * 1000,
        });
      }
      bodies.push(lines.join('\n'));
    }
    const started = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${svc.url}/api/v1/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
      if (!res.ok) {
        throw new Error(await res.text());
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      JSON.stringify({
        bench: 'ingest_http_ndjson',
        points: POINTS,
        batch: BATCH,
        points_per_second: Math.round(POINTS / seconds),
        goal: 200_000,
      })
    );

    const body = JSON.stringify({
      from: T0,
      to: T0 + POINTS * 1000,
      maxDataPoints: 1000,
      queries: [{ refId: 'A', type: 'timeseries', run: 'bench', metric: 'loss' }],
    });
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      const res = await fetch(`${svc.url}/api/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await res.json()) as { results: { A: { frames: Array<{ data: { values: unknown[][] } }> } } };
      times.push(performance.now() - t);
      if (json.results.A.frames[0].data.values[0].length > 1000) {
        throw new Error('query returned more than maxDataPoints');
      }
    }
    times.sort((a, b) => a - b);
    const pct = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))] * 10) / 10;
    console.log(
      JSON.stringify({ bench: 'query_1000_of_1m_points', p50_ms: pct(0.5), p99_ms: pct(0.99), goal_p50_ms: 30 })
    );
  } finally {
    await svc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
