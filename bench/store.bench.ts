import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startService } from '../server/src/service';
import { hasPostgres, startCluster } from '../server/src/store/pgCluster';
import { openStore } from '../server/src/store/open';
import type { RlhfRecord } from '@rlhf-monitor/contract';

// The store: SQLite appends with a batch spread over 1,000 series vs one series (same points per batch);
// on PostgreSQL a 1,000-point plot over a 1M-point series, and ingest + plot with 1 and 2 service replicas
// on one database while they create the same new series (errors counted). One JSON line per figure.
const T0 = Date.parse('2026-01-01T00:00:00Z');
const ROOT = path.join(__dirname, '..');

const metric = (run: string, name: string, n: number): RlhfRecord => ({
  kind: 'metric',
  run,
  name,
  value: Math.exp(-n / 3e5) + (n % 97) / 1e4,
  step: n,
  ts: T0 + n * 1000,
  phase: 'training',
  labels: {},
});

/** Bytes this process has written to storage so far (Linux). */
function writeBytes(): number {
  const m = /write_bytes: (\d+)/.exec(fs.readFileSync('/proc/self/io', 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function sqliteAppends(): Promise<void> {
  const BATCH = 1000;
  const BATCHES = 60;
  for (const seriesCount of [1000, 1]) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-bench-'));
    const store = await openStore(path.join(dir, 'bench.db'));
    // Every series starts with PREFILL points (half a chunk: the average state of a series' newest chunk).
    const PREFILL = 512;
    const perSeries = BATCH / seriesCount;
    const batch = (b: number) =>
      Array.from({ length: BATCH }, (_, i) =>
        metric('spread', `m${i % seriesCount}`, PREFILL + b * perSeries + Math.floor(i / seriesCount))
      );
    for (let s = 0; s < seriesCount; s += 100) {
      const prefill: RlhfRecord[] = [];
      for (let k = s; k < Math.min(seriesCount, s + 100); k++) {
        for (let n = 0; n < PREFILL; n++) {
          prefill.push(metric('spread', `m${k}`, n));
        }
      }
      await store.insert(prefill);
    }
    const bytes = writeBytes();
    const started = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      await store.insert(batch(b));
    }
    const seconds = (performance.now() - started) / 1000;
    const written = writeBytes() - bytes;
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(
      JSON.stringify({
        bench: `sqlite_append_${seriesCount === 1 ? '1_series' : '1000_series'}`,
        points_per_batch: BATCH,
        series_per_batch: seriesCount,
        points_per_second: Math.round((BATCH * BATCHES) / seconds),
        bytes_written_per_point: Math.round(written / (BATCH * BATCHES)),
      })
    );
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
};

async function post(url: string, body: string, type = 'application/json'): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
}

/** p50/p99 of a 1,000-point timeseries query over the whole `run`/`metric` series, `n` times, `parallel` at once. */
async function plotTimes(urls: string[], run: string, n: number, points: number): Promise<number[]> {
  const body = JSON.stringify({
    from: T0,
    to: T0 + points * 1000,
    maxDataPoints: 1000,
    queries: [{ refId: 'A', type: 'timeseries', run, metric: 'loss' }],
  });
  const times: number[] = [];
  let i = 0;
  await Promise.all(
    urls.map(async (url) => {
      while (i < n) {
        i++;
        const t = performance.now();
        const res = await post(`${url}/api/v1/query`, body);
        const json = (await res.json()) as { results: { A: { frames: Array<{ data: { values: unknown[][] } }> } } };
        times.push(performance.now() - t);
        const len = json.results.A.frames[0]?.data.values[0].length ?? 0;
        if (len === 0 || len > 1000) {
          throw new Error(`plot returned ${len} points`);
        }
      }
    })
  );
  return times;
}

async function pgPlot(url: string): Promise<void> {
  const POINTS = 1_000_000;
  const store = await openStore(url);
  for (let b = 0; b < POINTS; b += 10_000) {
    await store.insert(Array.from({ length: 10_000 }, (_, i) => metric('plot', 'loss', b + i)));
  }
  await store.close();
  const svc = await startService({ db: url });
  try {
    await plotTimes([svc.url], 'plot', 3, POINTS); // warm-up
    const times = await plotTimes([svc.url], 'plot', 20, POINTS);
    console.log(
      JSON.stringify({
        bench: 'pg_plot_1000_of_1m_points',
        p50_ms: pct(times, 0.5),
        p99_ms: pct(times, 0.99),
        goal_p50_ms: 50,
      })
    );
  } finally {
    await svc.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A service as its own process (`npm start`'s entry point), as a replica behind a load balancer would run. */
async function replica(db: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, RLHF_DB: db, RLHF_PORT: String(port), RLHF_DEMO: '0' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) {
        return { url, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('replica did not start');
}

/**
 * 8 clients spread over the replicas send 1,000-point batches; every batch creates 200 new series. Clients
 * 2k and 2k+1 (on different replicas when there are two) send to the same run, so they create the same new
 * series at the same time, in opposite orders.
 */
async function pgReplicas(url: string, replicas: number): Promise<void> {
  const procs = await Promise.all(Array.from({ length: replicas }, () => replica(url)));
  try {
    const CLIENTS = 8;
    const BATCHES = 25; // per client
    let errors = 0;
    let points = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const target = procs[c % replicas].url;
        for (let b = 0; b < BATCHES; b++) {
          const lines: string[] = [];
          for (let i = 0; i < 1000; i++) {
            // series r{replicas}-b{b}-s{0..199}: new at batch b for every client; half the clients reversed
            const s = c % 2 ? 199 - (i % 200) : i % 200;
            lines.push(JSON.stringify({ ...metric(`r${replicas}-${c >> 1}`, `b${b}-s${s}`, c * 1000 + i) }));
          }
          const res = await post(`${target}/api/v1/ingest`, lines.join('\n'), 'application/x-ndjson');
          if (res.ok) {
            points += 1000;
          } else {
            errors++;
          }
          await res.text();
        }
      })
    );
    const seconds = (performance.now() - started) / 1000;
    const times = await plotTimes(
      procs.map((p) => p.url),
      'plot',
      20,
      1_000_000
    );
    console.log(
      JSON.stringify({
        bench: `pg_${replicas}_replica${replicas > 1 ? 's' : ''}`,
        clients: CLIENTS,
        ingest_points_per_second: Math.round(points / seconds),
        failed_batches: errors,
        batches: CLIENTS * BATCHES,
        plot_p50_ms: pct(times, 0.5),
        plot_p99_ms: pct(times, 0.99),
      })
    );
  } finally {
    for (const p of procs) {
      p.child.kill('SIGTERM');
    }
  }
}

// `node --import tsx bench/store.bench.ts [sqlite|pg]` runs one half.
async function main() {
  const only = process.argv[2];
  if (only !== 'pg') {
    await sqliteAppends();
  }
  if (only === 'sqlite') {
    return;
  }
  if (!hasPostgres()) {
    console.log(JSON.stringify({ bench: 'pg', skipped: 'no /usr/lib/postgresql/15/bin' }));
    return;
  }
  const cluster = startCluster();
  try {
    await pgPlot(cluster.url);
    await pgReplicas(cluster.url, 1);
    await pgReplicas(cluster.url, 2);
  } finally {
    cluster.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
