import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startService, type Service } from '../server/src/service';

// Cost of `status`, `/metrics` and health as data grows (issue 12, "Scale"): one run with many labelled series,
// then many points; plus the pathological name pattern of defect 1 (health probed while it runs).
// Sizes: BENCH_SCALE_SERIES (default 10000,20000) and BENCH_SCALE_POINTS (default 2000000,4000000; the issue's
// 20000000,40000000 need ~10 min to build on 2 cores). BENCH_SCALE_DB_DIR keeps the point stores there and reuses
// them on the next run (build once, measure when the machine is quiet; the service's start-up, which loads the
// newest points into memory, is then timed too). Every figure is one JSON line.
const list = (v: string | undefined, d: string) => (v ?? d).split(',').map(Number);
const SERIES = list(process.env.BENCH_SCALE_SERIES, '10000,20000');
const POINTS = list(process.env.BENCH_SCALE_POINTS, '2000000,4000000');
const HOUR = 3_600_000;

async function post(url: string, body: unknown): Promise<{ status: number; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 10) / 10;
};

const KEEP = process.env.BENCH_SCALE_DB_DIR;

/** A service on a fresh store, or with `keep` and BENCH_SCALE_DB_DIR on a kept one (`built` says which). */
async function withService(run: (svc: Service, now: number, built: boolean) => Promise<void>, keep?: string) {
  const dir = KEEP && keep ? KEEP : fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-scale-'));
  fs.mkdirSync(dir, { recursive: true });
  const db = path.join(dir, keep ? `${keep}.db` : 'scale.db');
  const built = Boolean(KEEP && keep) && fs.existsSync(db);
  const t = performance.now();
  const svc = await startService({ db });
  if (built) {
    console.log(JSON.stringify({ bench: 'scale_startup', store: keep, ms: Math.round(performance.now() - t) }));
  }
  try {
    // A kept store's points sit 1-23 h before it was built: measure within the hour, its status window still holds them.
    await run(svc, Date.now(), built);
  } finally {
    await svc.close();
    if (!(KEEP && keep)) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** status query, /metrics and health, each timed a few times (health many times). */
async function measure(svc: Service, label: Record<string, unknown>) {
  const status = async () => {
    const r = await post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'S', type: 'status' }] });
    if (r.status !== 200) {
      throw new Error(`status query: ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  const metrics = async () => {
    const r = await fetch(`${svc.url}/metrics`);
    await r.text();
  };
  const health = async () => (await fetch(`${svc.url}/api/v1/health`)).text();
  const s: number[] = [];
  const m: number[] = [];
  const h: number[] = [];
  for (let i = 0; i < 5; i++) {
    s.push(await timed(status));
    m.push(await timed(metrics));
  }
  for (let i = 0; i < 50; i++) {
    h.push(await timed(health));
  }
  console.log(
    JSON.stringify({ bench: 'scale_status', ...label, p50_ms: pct(s, 0.5), max_ms: pct(s, 1), goal_ms: 200 })
  );
  console.log(
    JSON.stringify({ bench: 'scale_metrics', ...label, p50_ms: pct(m, 0.5), max_ms: pct(m, 1), goal_ms: 200 })
  );
  console.log(
    JSON.stringify({ bench: 'scale_health', ...label, p50_ms: pct(h, 0.5), p99_ms: pct(h, 0.99), goal_ms: 10 })
  );
}

async function labelledSeries(n: number) {
  await withService(async (svc, now) => {
    const batch: unknown[] = [];
    const flush = async () => {
      await svc.ingestor.ingest(batch.splice(0));
    };
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 5; k++) {
        batch.push({
          kind: 'metric',
          run: 'fleet',
          name: 'gpu_util',
          value: (i * 7 + k) % 100,
          step: k,
          ts: now - (5 - k) * 60_000,
          labels: { node: `node-${i >> 3}`, gpu: String(i & 7) },
        });
      }
      if (batch.length >= 10_000) {
        await flush();
      }
    }
    await flush();
    await measure(svc, { series: n });
  });
}

async function manyPoints(n: number) {
  await withService(async (svc, now, built) => {
    if (built) {
      await measure(svc, { points: n, kept: true });
      return;
    }
    // 100 training series of one run (the status query's worst case: all inside its 24 h window) plus a
    // deployment series, so every collector of /metrics has work.
    const per = Math.ceil(n / 100);
    const names = ['objective/kl', 'objective/scores', 'objective/entropy', 'loss'];
    for (let from = 0; from < per; from += 500) {
      const batch: unknown[] = [];
      for (let s = 0; s < 100; s++) {
        for (let i = from; i < Math.min(per, from + 500); i++) {
          batch.push({
            kind: 'metric',
            run: `run-${s % 10}`,
            name: s < 40 ? names[s % 4] : `m${s}`,
            value: Math.sin(i / 100) + s,
            step: i,
            ts: now - 23 * HOUR + Math.floor((i * 22 * HOUR) / per),
            phase: 'training',
          });
        }
      }
      await svc.ingestor.ingest(batch);
    }
    await svc.ingestor.ingest([
      { kind: 'metric', run: 'prod', name: 'error_rate', value: 0.01, ts: now, phase: 'deployment' },
    ]);
    await measure(svc, { points: per * 100 });
  }, `points-${n}`);
}

/** Defect 1: `*a*a*a*a*a*b` against a 100 × `a` feature, health probed every 10 ms while it runs. */
async function pathologicalPattern() {
  await withService(async (svc, now) => {
    await svc.ingestor.ingest([
      { kind: 'sample', feature: 'a'.repeat(100), source: 'training', value: 1, ts: now },
      { kind: 'metric', run: 'a'.repeat(100), name: 'a'.repeat(100), value: 1, ts: now },
    ]);
    const targets: Array<[string, string, Record<string, unknown>]> = [
      [
        'drift',
        '*a*a*a*a*a*b',
        { type: 'drift', feature: '*a*a*a*a*a*b', reference: 'training', current: 'production' },
      ],
      ['timeseries', '*a*a*a*a*a*a*a*b', { type: 'timeseries', run: '*a*a*a*a*a*a*a*b', metric: '*a*a*a*a*a*a*a*b' }],
    ];
    for (const [type, pattern, target] of targets) {
      const health: number[] = [];
      let done = false;
      const probe = (async () => {
        while (!done) {
          health.push(await timed(() => fetch(`${svc.url}/api/v1/health`).then((r) => r.text())));
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const ms = await timed(() => post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'A', ...target }] }));
      done = true;
      await probe;
      console.log(
        JSON.stringify({
          bench: 'pathological_pattern',
          type,
          pattern,
          query_ms: Math.round(ms),
          health_max_ms: pct(health, 1),
          goal_ms: 50,
        })
      );
    }
  });
}

async function main() {
  const only = process.env.BENCH_SCALE_ONLY;
  if (!only || only === 'pattern') {
    await pathologicalPattern();
  }
  if (!only || only === 'series') {
    for (const n of SERIES) {
      await labelledSeries(n);
    }
  }
  if (!only || only === 'points') {
    for (const n of POINTS) {
      await manyPoints(n);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
