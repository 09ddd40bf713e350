import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RlhfRecord } from '@rlhf-monitor/contract';
import { startService } from '../server/src/service';
import { SqliteStore } from '../server/src/store/sqlite';

// Cost of `status`, `/metrics` and catalogs over many records (issue 12): 50 features x 2 sources x 10k samples,
// 20 models x 50k predictions, 10 datasets x 50k annotations (BENCH_RECORDS_SCALE multiplies the counts), all in
// the last hour, in SQLite. Health is probed every 10 ms from another process while an uncached status runs.
// BENCH_RECORDS_DB keeps the store in that file and reuses it on the next run (its records stay "recent" for a
// day). Every figure is one JSON line.
const S = Number(process.env.BENCH_RECORDS_SCALE ?? 1);
const KEEP = process.env.BENCH_RECORDS_DB;

async function build(file: string, now: number) {
  const store = new SqliteStore(file);
  const batch: RlhfRecord[] = [];
  const add = async (r: RlhfRecord) => {
    batch.push(r);
    if (batch.length >= 50_000) {
      await store.insert(batch.splice(0));
    }
  };
  const ts = (i: number) => now - 3_000_000 + (i % 3_000_000);
  for (let f = 0; f < 50; f++) {
    for (let i = 0; i < 20_000 * S; i++) {
      const source = i % 2 ? 'training' : 'production';
      await add({ kind: 'sample', feature: `f${f}`, source, value: (i * 7919) % 1000, ts: ts(i) });
    }
  }
  for (let m = 0; m < 20; m++) {
    for (let i = 0; i < 50_000 * S; i++) {
      await add({
        kind: 'prediction',
        model: `m${m}`,
        confidence: (i % 100) / 100,
        correct: i % 3 > 0,
        item: null,
        ts: ts(i),
      });
    }
  }
  for (let d = 0; d < 10; d++) {
    for (let i = 0; i < 50_000 * S; i++) {
      const item = `i${i >> 2}`;
      await add({ kind: 'annotation', dataset: `d${d}`, item, annotator: `a${i % 4}`, label: i % 5, ts: ts(i) });
    }
  }
  await store.insert(batch.splice(0));
  await store.close();
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-records-'));
  const file = KEEP ?? path.join(dir, 'records.db');
  if (!fs.existsSync(file)) {
    const t = performance.now();
    await build(file, Date.now());
    console.log(JSON.stringify({ bench: 'records_build', scale: S, ms: Math.round(performance.now() - t) }));
  }
  const svc = await startService({ db: file, demo: false });
  const figure = (name: string, ms: number[]) =>
    console.log(
      JSON.stringify({ bench: 'records', scale: S, case: name, median_ms: round(median(ms)), runs_ms: ms.map(round) })
    );
  const query = (target: Record<string, unknown>, to?: number) => async () => {
    const res = await fetch(`${svc.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to, queries: [{ refId: 'A', ...target }] }),
    });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"error"')) {
      throw new Error(`${JSON.stringify(target)}: ${res.status} ${text.slice(0, 300)}`);
    }
  };
  const metrics = async () => {
    const res = await fetch(`${svc.url}/metrics`);
    await res.text();
  };
  const repeat = async (name: string, f: () => Promise<unknown>, n = 3) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i++) {
      ms.push(await timed(f));
    }
    figure(name, ms);
  };
  try {
    // The first scrape computes; the next ones (within the status cache's few seconds) may reuse it.
    await repeat('GET /metrics (first, then repeated)', metrics);
    await repeat('status as of now', query({ type: 'status' }));
    // A past `to` is judged afresh each time: the whole computation.
    await repeat('status as of 1 min ago (uncached)', () => query({ type: 'status' }, Date.now() - 60_000)());
    for (const of of ['sources', 'features', 'models', 'datasets']) {
      await repeat(`catalog ${of}`, query({ type: 'catalog', of }));
    }
    // Health probed every 10 ms from its own process while one uncached status computation runs.
    const probe = fork(path.join(__dirname, 'healthProbe.ts'), [svc.url, '10'], { execArgv: ['--import', 'tsx'] });
    await new Promise((r) => probe.once('message', r));
    await new Promise((r) => setTimeout(r, 100));
    const during = await timed(query({ type: 'status' }, Date.now() - 120_000));
    const done = new Promise<{ ms: number[]; errors: string[] }>((r) => probe.on('message', (m) => r(m as never)));
    probe.send('stop');
    const { ms, errors } = await done;
    console.log(
      JSON.stringify({
        bench: 'records',
        scale: S,
        case: 'health every 10 ms during an uncached status',
        status_ms: round(during),
        probes: ms.length,
        health_max_ms: round(Math.max(...ms)),
        health_median_ms: round(median(ms)),
        errors: errors.length,
      })
    );
  } finally {
    await svc.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
