// Dashboard bench (`npx tsx bench/dashboards.bench.ts`, also run by `npm run bench`): the cold load time of each
// provisioned dashboard in the e2e host - a fresh browser profile, navigation to every panel rendered against
// the live demo service - and the size of every built module.js. One JSON line per figure.
// Goal: every dashboard under 1.5 s. Needs `npm run build` and /usr/bin/chromium.
// Also, per dashboard: `dashboard-switch` (from one dashboard to the next in a browser that has the host page
// and plugin modules cached, as a Grafana user switching dashboards: variables, queries and drawing every panel)
// and `dashboard-service-time` (the service's time for all the dashboard's panel queries, replayed one after
// another after its caches expired, as the service itself times them in `rlhf_http_request_duration_seconds`:
// receiving each request to writing its last byte; goal under 100 ms). `wall_ms` is the same replay timed by the
// client, which adds its own time and the round trips (client and service share this machine's two cores).
import fs from 'fs';
import path from 'path';
import { assertBuilt, CHROMIUM, DIST, launchBrowser, openDashboard, startStack } from '../e2e/dashboards/stack';

const GOAL_MS = 1500;
const SERVICE_GOAL_MS = 100;
/** Longer than the service's short-lived analysis memo (query/memo.ts users), so each replay starts cold. */
const MEMO_TTL_MS = 5_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** BENCH_DASHBOARDS=rlhf-data,rlhf-evaluation: only these dashboards. */
const ONLY = process.env.BENCH_DASHBOARDS?.split(',');
const chosen = <T extends { uid: string }>(ds: T[]) => ds.filter((d) => !ONLY || ONLY.includes(d.uid));

function moduleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? moduleFiles(p) : e.name === 'module.js' ? [p] : [];
  });
}

/** Seconds the service spent on POST /api/v1/query requests so far, from its own /metrics. */
async function queryServiceSeconds(url: string, apiKey: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${apiKey}` } })).text();
  let sum = 0;
  for (const m of text.matchAll(/^rlhf_http_request_duration_seconds_sum\{([^}]*)\} (\S+)$/gm)) {
    if (m[1].includes('method="POST"') && m[1].includes('route="/api/v1/query"')) {
      sum += Number(m[2]);
    }
  }
  return sum;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  assertBuilt();
  for (const file of moduleFiles(DIST).sort()) {
    const bytes = fs.statSync(file).size;
    console.log(
      JSON.stringify({
        bench: 'module-size',
        module: path.relative(DIST, file),
        bytes,
        kib: +(bytes / 1024).toFixed(1),
      })
    );
  }
  if (!fs.existsSync(CHROMIUM)) {
    console.log(JSON.stringify({ bench: 'dashboard-load', skipped: `${CHROMIUM} missing` }));
    return;
  }
  const stack = await startStack();
  try {
    for (const d of chosen(stack.harness.dashboards)) {
      const times: number[] = [];
      // The same loads minus the host bundle (React, @grafana/* - what Grafana's own frontend has loaded before
      // any dashboard opens): plugin modules, variables and every panel's queries and rendering.
      const afterHost: number[] = [];
      let panels = 0;
      let timings: Record<string, number> = {};
      for (let i = 0; i < RUNS; i++) {
        // Cold: a new browser profile (empty HTTP cache) for every load.
        const browser = await launchBrowser();
        try {
          const o = await openDashboard(browser, stack.harness, d.uid);
          times.push(o.loadMs);
          afterHost.push(o.loadMs - o.timings.script);
          panels = o.panels.length;
          timings = o.timings;
        } finally {
          await browser.close();
        }
      }
      const ms = median(times);
      console.log(
        JSON.stringify({
          bench: 'dashboard-load',
          uid: d.uid,
          panels,
          runs: times,
          median_ms: ms,
          goal_ms: GOAL_MS,
          ok: ms < GOAL_MS,
          after_host_bundle_median_ms: median(afterHost),
          after_host_bundle_ok: median(afterHost) < GOAL_MS,
          // Where the last run's time went (ms since navigation): bundle run, plugins loaded, variables, panels.
          last_run_marks: timings,
        })
      );
    }
    await switchesAndServiceTime(stack);
  } finally {
    await stack.close();
  }
}

type Stack = Awaited<ReturnType<typeof startStack>>;

async function switchesAndServiceTime(stack: Stack): Promise<void> {
  const browser = await launchBrowser();
  try {
    const uids = chosen(stack.harness.dashboards).map((d) => d.uid);
    // Warm the cache with one load of each, then switch around the list RUNS times.
    for (const uid of uids) {
      await (await openDashboard(browser, stack.harness, uid)).page.close();
    }
    for (const uid of uids) {
      const switches: number[] = [];
      let bodies: string[] = [];
      for (let i = 0; i < RUNS; i++) {
        const o = await openDashboard(browser, stack.harness, uid);
        switches.push(o.timings.panels - o.timings.script);
        const log = await o.page.evaluate(() => window.RLHFDash.requests);
        bodies = log.filter((r) => r.method === 'POST' && /\/api\/v1\/query$/.test(r.url)).map((r) => r.body ?? '');
        await o.page.close();
      }
      const ms = median(switches);
      console.log(
        JSON.stringify({
          bench: 'dashboard-switch',
          uid,
          runs: switches,
          median_ms: ms,
          goal_ms: GOAL_MS,
          ok: ms < GOAL_MS,
        })
      );

      const times: number[] = [];
      const walls: number[] = [];
      let slowest: Array<{ ms: number; targets: string }> = [];
      for (let i = 0; i < RUNS; i++) {
        await new Promise((r) => setTimeout(r, MEMO_TTL_MS + 100));
        const spent = await queryServiceSeconds(stack.service.url, stack.apiKey);
        const t0 = performance.now();
        const each: typeof slowest = [];
        for (const body of bodies) {
          const t = performance.now();
          const res = await fetch(`${stack.service.url}/api/v1/query`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${stack.apiKey}` },
            body,
          });
          if (!res.ok) {
            throw new Error(`${uid}: replayed query answered ${res.status}: ${await res.text()}`);
          }
          await res.arrayBuffer();
          const targets = (JSON.parse(body) as { queries: Array<Record<string, unknown>> }).queries;
          each.push({
            ms: Math.round(performance.now() - t),
            targets: targets.map((q) => [q.type, q.feature ?? q.run ?? q.model ?? q.dataset].join(':')).join(' '),
          });
        }
        walls.push(Math.round(performance.now() - t0));
        times.push(Math.round(1000 * ((await queryServiceSeconds(stack.service.url, stack.apiKey)) - spent)));
        slowest = each.sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.BENCH_SLOWEST ?? 3));
      }
      const total = median(times);
      console.log(
        JSON.stringify({
          bench: 'dashboard-service-time',
          uid,
          queries: bodies.length,
          runs: times,
          median_ms: total,
          goal_ms: SERVICE_GOAL_MS,
          ok: total < SERVICE_GOAL_MS,
          wall_runs: walls,
          wall_median_ms: median(walls),
          // The last run's slowest requests, timed by the client: where to look next.
          slowest,
        })
      );
    }
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
