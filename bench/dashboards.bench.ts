// Dashboard bench (`npx tsx bench/dashboards.bench.ts`, also run by `npm run bench`): the cold load time of each
// provisioned dashboard in the e2e host - a fresh browser profile, navigation to every panel rendered against
// the live demo service - and the size of every built module.js. One JSON line per figure.
// Goal: every dashboard under 1.5 s. Needs `npm run build` and /usr/bin/chromium.
import fs from 'fs';
import path from 'path';
import { assertBuilt, CHROMIUM, DIST, launchBrowser, openDashboard, startStack } from '../e2e/dashboards/stack';

const GOAL_MS = 1500;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function moduleFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? moduleFiles(p) : e.name === 'module.js' ? [p] : [];
  });
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
    for (const d of stack.harness.dashboards) {
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
  } finally {
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
