import { type ChildProcess, fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../server/src/store/sqlite';

// Load (issue 12): the service as `npm start` runs it (own process, SQLite file), 50 concurrent clients for
// BENCH_LOAD_SECONDS (default 60): 40 ingesting NDJSON batches, 10 querying (timeseries, status, drift,
// calibration, agreement, catalog), and a health probe every 20 ms. Goals: 0 errors, health p99 < 50 ms, every
// acknowledged record readable afterwards, RSS back near its start once the load stops.
// health_* is timed by a probe in its own process (healthProbe.ts), as a load balancer's; health_inprocess_* by
// the old probe in this process, whose own event-loop lag (building 40 bodies, parsing answers) it includes;
// health_idle_p99_ms is the same probe against the idle service first: what the machine itself costs (other jobs
// on its cores). service_loop_delay_* is the service's event-loop delay during the load, from its /metrics.
// docs/scaling.md has the figures.
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const INGESTERS = Number(process.env.BENCH_LOAD_INGESTERS ?? 40);
const QUERIERS = Number(process.env.BENCH_LOAD_QUERIERS ?? 10);
const BATCH = 100;
const IDLE_PROBE_MS = 5_000;

/** The child's resident memory (MB) and its parts from /proc/PID/status: anonymous (heaps, malloc arenas), file
 * (mapped code and files: node's binary, SQLite's mmap), shared memory (the WAL index), and its thread count. */
const memoryOf = (pid: number) => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  const mb = (name: string) => Math.round(field(name) / 1024);
  return {
    rss: mb('VmRSS'),
    anon: mb('RssAnon'),
    file: mb('RssFile'),
    shmem: mb('RssShmem'),
    threads: field('Threads'),
  };
};
const rssMb = (pid: number) => memoryOf(pid).rss;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The service's process gauges from its /metrics (prom-client's default-metric names), by name. */
const scrape = async (url: string): Promise<Record<string, number>> => {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^(nodejs_\w+|process_\w+) ([-\d.e+]+)$/gm)) {
    out[m[1]] = Number(m[2]);
  }
  return out;
};
const ms = (seconds: number | undefined) => Math.round((seconds ?? NaN) * 10_000) / 10;
const mbOf = (bytes: number | undefined) => Math.round((bytes ?? NaN) / 1024 / 1024);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-load-'));
  const db = path.join(dir, 'load.db');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../server/src/main.ts')], {
    env: { ...process.env, RLHF_DB: db, RLHF_PORT: '0', RLHF_DEMO: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const read = (d: Buffer) => {
      out += String(d);
      const m = /on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        // From here on the log is drained unread: a pipe left full would block the service's (sync) logger.
        child.stdout.off('data', read).on('data', () => undefined);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', read);
    child.once('exit', (code) => reject(new Error(`service exited (${code}) before listening`)));
  });
  let probe: ChildProcess | undefined;
  try {
    await sleep(500);
    // The probe that counts runs in its own process, as a load balancer's would (healthProbe.ts).
    probe = fork(path.join(__dirname, 'healthProbe.ts'), [url, '20'], { execArgv: ['--import', 'tsx'] });
    await new Promise((r) => probe!.once('message', r));
    // The same probe against the idle service first: the floor this machine sets (other processes, scheduling).
    await sleep(IDLE_PROBE_MS);
    const idle = await new Promise<{ ms: number[] }>((r) => (probe!.once('message', r as never), probe!.send('mark')));
    await scrape(url); // resets the event-loop delay histogram: the next scrape covers the load only
    const start = memoryOf(child.pid!);
    const rssStart = start.rss;
    let rssPeak = rssStart;
    const errors: string[] = [];
    const acked = new Map<string, number[]>(); // run -> acknowledged steps
    const health: number[] = [];
    const queryMs: number[] = [];
    let ingested = 0;
    const t0 = Date.now();
    const until = performance.now() + SECONDS * 1000;
    const post = async (p: string, body: string, type: string) => {
      const res = await fetch(`${url}${p}`, { method: 'POST', headers: { 'content-type': type }, body });
      const text = await res.text();
      if (res.status !== 200) {
        errors.push(`${res.status} ${p}: ${text.slice(0, 200)}`);
      }
      return { status: res.status, text };
    };

    const ingester = async (c: number) => {
      const run = `load-${c}`;
      const steps: number[] = [];
      acked.set(run, steps);
      for (let b = 0; performance.now() < until; b++) {
        const lines: string[] = [];
        const ts = t0 + b * 1000;
        const batchSteps: number[] = [];
        for (let i = 0; i < BATCH - 10; i++) {
          const step = b * BATCH + i;
          batchSteps.push(step);
          lines.push(JSON.stringify({ kind: 'metric', run, name: 'loss', value: Math.sin(step), step, ts: ts + i }));
        }
        for (let i = 0; i < 5; i++) {
          lines.push(
            JSON.stringify({
              kind: 'prediction',
              model: `rm${c % 4}`,
              confidence: (i + 1) / 6,
              correct: i % 2 === 0,
              ts,
            })
          );
          lines.push(
            JSON.stringify({
              kind: 'sample',
              feature: `f${c % 8}`,
              source: i % 2 ? 'training' : 'production',
              value: Math.cos(b + i),
              ts,
            })
          );
        }
        if (b % 10 === 0) {
          lines.push(
            JSON.stringify({
              kind: 'annotation',
              dataset: 'load',
              item: `i${b}`,
              annotator: `a${c % 5}`,
              label: b % 3,
              ts,
            })
          );
        }
        const r = await post('/api/v1/ingest', lines.join('\n'), 'application/x-ndjson');
        if (r.status === 200) {
          steps.push(...batchSteps);
          ingested += lines.length;
        }
      }
    };

    const targets = [
      { type: 'timeseries', run: 'load-*', metric: 'loss' },
      { type: 'status' },
      { type: 'drift', feature: '*', reference: 'training', current: 'production' },
      { type: 'calibration', model: '*', temperature: true },
      { type: 'agreement', dataset: 'load' },
      { type: 'catalog', of: 'runs' },
    ];
    const querier = async (c: number) => {
      for (let i = c; performance.now() < until; i++) {
        const t = performance.now();
        const body = JSON.stringify({
          from: t0 - 1000,
          to: Date.now() + 3_600_000,
          queries: [{ refId: 'A', ...targets[i % targets.length] }],
        });
        const r = await post('/api/v1/query', body, 'application/json');
        queryMs.push(performance.now() - t);
        const a = r.status === 200 ? JSON.parse(r.text).results.A : null;
        if (a?.error) {
          errors.push(`query ${targets[i % targets.length].type}: ${a.error}`);
        }
      }
    };

    // The old in-process probe, kept for comparison: its timings include this process's own lag.
    const prober = async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const res = await fetch(`${url}/api/v1/health`);
        await res.text();
        health.push(performance.now() - t);
        if (res.status !== 200) {
          errors.push(`health ${res.status}`);
        }
        rssPeak = Math.max(rssPeak, rssMb(child.pid!));
        await sleep(20);
      }
    };

    await Promise.all([
      ...Array.from({ length: INGESTERS }, (_, c) => ingester(c)),
      ...Array.from({ length: QUERIERS }, (_, c) => querier(c)),
      prober(),
    ]);
    const probed = new Promise<{ ms: number[]; errors: string[] }>((r) => probe!.once('message', r as never));
    probe.send('stop');
    const separate = await probed;
    errors.push(...separate.errors);
    const during = await scrape(url);
    // Idle for a while: what the service keeps afterwards.
    await sleep(10_000);
    const end = memoryOf(child.pid!);
    const rssAfter = end.rss;
    const after = await scrape(url);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));

    // Every acknowledged metric point is in the file, read back by the store itself.
    const store = new SqliteStore(db);
    let missing = 0;
    let readable = 0;
    for (const [run, steps] of acked) {
      const [s] = await store.series({ runs: run, metrics: 'loss', range: { from: 0, to: Date.now() + 86_400_000 } });
      const have = new Set((s?.points ?? []).map((p) => p.step));
      for (const step of steps) {
        if (have.has(step)) {
          readable++;
        } else {
          missing++;
        }
      }
    }
    await store.close();
    console.log(
      JSON.stringify({
        bench: 'load',
        seconds: SECONDS,
        clients: INGESTERS + QUERIERS,
        records_ingested: ingested,
        records_per_second: Math.round(ingested / SECONDS),
        queries: queryMs.length,
        query_p50_ms: pct(queryMs, 0.5),
        query_p99_ms: pct(queryMs, 0.99),
        errors: errors.length,
        health_p50_ms: pct(separate.ms, 0.5),
        health_p99_ms: pct(separate.ms, 0.99),
        health_probes: separate.ms.length,
        health_idle_p99_ms: pct(idle.ms, 0.99),
        health_inprocess_p50_ms: pct(health, 0.5),
        health_inprocess_p99_ms: pct(health, 0.99),
        service_loop_delay_p50_ms: ms(during.nodejs_eventloop_lag_p50_seconds),
        service_loop_delay_p99_ms: ms(during.nodejs_eventloop_lag_p99_seconds),
        service_loop_delay_max_ms: ms(during.nodejs_eventloop_lag_max_seconds),
        acked_points_readable: readable,
        acked_points_missing: missing,
        rss_start_mb: rssStart,
        rss_peak_mb: rssPeak,
        rss_after_mb: rssAfter,
        rss_anon_start_mb: start.anon,
        rss_anon_after_mb: end.anon,
        rss_file_start_mb: start.file,
        rss_file_after_mb: end.file,
        rss_shmem_start_mb: start.shmem,
        rss_shmem_after_mb: end.shmem,
        threads_start: start.threads,
        threads_after: end.threads,
        heap_used_after_mb: mbOf(after.nodejs_heap_size_used_bytes),
        heap_total_after_mb: mbOf(after.nodejs_heap_size_total_bytes),
        external_after_mb: mbOf(after.nodejs_external_memory_bytes),
        goal: { errors: 0, health_p99_ms: 50, acked_points_missing: 0 },
      })
    );
    for (const e of errors.slice(0, 10)) {
      console.error(e);
    }
  } finally {
    probe?.kill('SIGKILL');
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
