// Every provisioned dashboard, run from the BUILT plugin (dist/) in headless Chromium against the live demo
// service: the host page (e2e/dashboards/host) loads dist/**/module.js the way Grafana does, the harness server
// proxies the data source by its plugin.json route (adding the API key server-side), and this suite checks what
// a user would see. Needs `npm run build` first (npm test runs it) and /usr/bin/chromium (apt-get install chromium).
import fs from 'fs';
import path from 'path';
import type { PanelReport } from './dashboards/host/PanelView';
import {
  assertBuilt,
  CHROMIUM,
  DASHBOARDS,
  fullScreenshot,
  launchBrowser,
  openDashboard,
  ROOT,
  startStack,
  type Browser,
  type Opened,
  type Stack,
} from './dashboards/stack';

const SHOTS = path.join(ROOT, 'test-results/dashboards');
const THEMES = ['light', 'dark'] as const;
const chromiumMissing = !fs.existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

const dashboards = fs
  .readdirSync(DASHBOARDS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DASHBOARDS, f), 'utf8')) as DashboardJson);

interface DashboardJson {
  uid: string;
  title: string;
  panels: Array<{
    id: number;
    type: string;
    title?: string;
    timeFrom?: string;
    targets?: unknown[];
    panels?: unknown[];
  }>;
  templating?: { list: Array<{ name: string }> };
}

/** The value to switch each variable to: another demo population, so the data must differ. */
const ALTERNATIVES: Record<string, Record<string, string>> = {
  run: { 'ppo-llama3-8b': 'dpo-llama3-8b', 'dpo-llama3-8b': 'ppo-llama3-8b' },
  dataset: { 'prefs-helpfulness': 'prefs-safety', 'prefs-safety': 'prefs-helpfulness' },
};

function describePanel(p: PanelReport): string {
  return `"${p.title}" (id ${p.id}, ${p.type}): ${p.state}${p.error ? ` - ${p.error}` : ''}${p.reason && p.state !== 'done' ? ` - ${p.reason}` : ''}`;
}

/** Panels whose targets or title mention the variable ($name or ${name...}). */
function panelsUsing(d: DashboardJson, name: string): Set<number> {
  const re = new RegExp(`\\$(${name}\\b|\\{${name}[}:.])`);
  return new Set(d.panels.filter((p) => p.type !== 'row' && re.test(JSON.stringify(p.targets ?? []))).map((p) => p.id));
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `interval` fields of a panel's targets (e.g. calibration buckets of '6h'), in ms. */
function targetIntervals(d: DashboardJson, panelId: number): number[] {
  const panel = d.panels.find((p) => p.id === panelId);
  return ((panel?.targets ?? []) as Array<{ interval?: string }>).flatMap((t) => {
    const m = /^(\d+)([smhd])$/.exec(t.interval ?? '');
    return m ? [Number(m[1]) * UNIT_MS[m[2]]] : [];
  });
}

if (chromiumMissing && !inCI) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPED e2e/dashboards.test.ts: ${CHROMIUM} is missing, so no dashboard was checked in a browser.\n` +
      `!! Install it with: apt-get install -y chromium   (in CI, CI=true, this is a failure)\n${'!'.repeat(78)}\n`
  );
}

if (chromiumMissing && inCI) {
  test('Chromium is installed for the dashboard suite', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium)`);
  });
}

(chromiumMissing ? describe.skip : describe)(
  'provisioned dashboards in headless Chromium (built plugin, live demo)',
  () => {
    let stack: Stack;
    let browser: Browser;
    const loadTimes: Record<string, number> = {};

    beforeAll(async () => {
      assertBuilt();
      fs.mkdirSync(SHOTS, { recursive: true });
      // A cold host build takes a minute or two on a busy 2-core machine; later runs reuse it.
      stack = await startStack();
      browser = await launchBrowser();
    }, 300_000);

    afterAll(async () => {
      await browser?.close();
      await stack?.close();
      if (Object.keys(loadTimes).length) {
        fs.writeFileSync(path.join(SHOTS, 'load-times.json'), `${JSON.stringify(loadTimes, null, 2)}\n`);
      }
    });

    async function open(uid: string, theme: 'light' | 'dark'): Promise<Opened> {
      const opened = await openDashboard(browser, stack.harness, uid, { theme });
      expect(opened.pageErrors).toEqual([]);
      expect(opened.variableErrors ?? '').toBe('');
      return opened;
    }

    test('there are dashboards to check', () => {
      expect(dashboards.map((d) => d.uid)).toEqual(expect.arrayContaining(['rlhf-overview']));
    });

    describe.each(dashboards.map((d) => [d.uid, d] as const))('%s', (uid, dashboard) => {
      test.each(THEMES)(
        'every panel renders data, no error and no empty state (%s theme), screenshot saved',
        async (theme) => {
          const { page, panels, loadMs } = await open(uid, theme);
          try {
            if (theme === 'light') {
              loadTimes[uid] = loadMs;
            }
            const expected = dashboard.panels.flatMap((p) => [p, ...((p.panels ?? []) as typeof dashboard.panels)]);
            expect(panels.map((p) => p.id).sort((a, b) => a - b)).toEqual(
              expected
                .filter((p) => p.type !== 'row')
                .map((p) => p.id)
                .sort((a, b) => a - b)
            );
            const bad = panels.filter((p) => p.state !== 'done' && p.state !== 'na').map(describePanel);
            expect(bad).toEqual([]);
            // Not applicable is only for what needs Grafana itself or Prometheus, and never for our own panels.
            for (const p of panels.filter((x) => x.state === 'na')) {
              // With the real Prometheus running only what needs Grafana itself (the alert list) is left.
              expect(p.reason).toMatch(stack.prometheus ? /^Needs Grafana/ : /^Needs (Grafana|Prometheus)/);
              expect(p.type.startsWith('humain-')).toBe(false);
            }
            expect(panels.filter((p) => p.state === 'done').length).toBeGreaterThan(0);
            for (const p of panels.filter((x) => x.state === 'done')) {
              expect(p.summary!.rows).toBeGreaterThan(0);
            }
            // Dashboard annotations (the data source's events query) load without errors.
            const annotations = await page.evaluate(() => window.RLHFDash.annotations());
            expect(annotations.filter((a) => a.state !== 'done')).toEqual([]);
            await fullScreenshot(page, path.join(SHOTS, `${uid}-${theme}.png`));
          } finally {
            await page.close();
          }
        },
        120_000
      );

      const variables = (dashboard.templating?.list ?? []).map((v) => v.name);
      const testVariables = variables.length ? test : test.skip;
      testVariables(
        `changing a variable changes the data of the panels that use it (${variables.join(', ') || 'none'})`,
        async () => {
          const { page } = await open(uid, 'light');
          try {
            for (const name of variables) {
              const using = panelsUsing(dashboard, name);
              const info = await page.evaluate((n) => window.RLHFDash.variables().find((v) => v.name === n)!, name);
              // A multi-value selection (several runs or hosts): switch to one value, then back to all of them.
              const selected = Array.isArray(info.current) ? info.current.map(String) : [String(info.current)];
              const current = selected[0] === '$__all' && info.options.length ? info.options[0] : selected[0];
              const next =
                ALTERNATIVES[name]?.[current] ?? info.options.find((o) => o !== current || selected.length > 1);
              if (!next || using.size === 0 || (selected[0] === '$__all' && info.options.length === 1)) {
                continue; // one option only (All is that option), or no panel uses it
              }
              const before = new Map(
                (await page.evaluate(() => window.RLHFDash.waitForPanels())).map((p) => [p.id, p])
              );
              await page.selectOption(`[data-testid="var-${name}"]`, next);
              const gen = await page.evaluate(() => window.RLHFDash.generation);
              const after = await page.evaluate((g) => window.RLHFDash.waitForPanels(g), gen);
              const changed: string[] = [];
              for (const p of after.filter((x) => using.has(x.id))) {
                const b = before.get(p.id)!;
                expect(describePanel(p)).not.toMatch(/: error/);
                if (b.state === 'done') {
                  // Same query on another population: the data must differ (another run may have no such series:
                  // then the panel is empty, which is a change too), and say which run it is about.
                  expect(`${p.title}: ${p.summary!.hash}`).not.toBe(`${p.title}: ${b.summary!.hash}`);
                  // Where the data names exactly the selected run, it must now name exactly the new one.
                  const before1 = b.summary!.runs.length === 1 && b.summary!.runs[0] === current;
                  if (name === 'run' && p.state === 'done' && before1 && p.summary!.runs.length) {
                    expect({ panel: p.title, runs: p.summary!.runs }).toEqual({ panel: p.title, runs: [next] });
                  }
                  changed.push(p.title);
                }
              }
              expect(changed.length).toBeGreaterThan(0);
              // Back to the provisioned value (a multi-value selection through the host's API): everything renders again.
              let back: PanelReport[];
              if (selected.length > 1) {
                back = await page.evaluate(
                  ([n, v]) => window.RLHFDash.setVariable(n as string, v as unknown as string),
                  [name, selected] as const
                );
              } else {
                await page.selectOption(`[data-testid="var-${name}"]`, current);
                const gen2 = await page.evaluate(() => window.RLHFDash.generation);
                back = await page.evaluate((g) => window.RLHFDash.waitForPanels(g), gen2);
              }
              expect(back.filter((p) => p.state !== 'done' && p.state !== 'na').map(describePanel)).toEqual([]);
            }
          } finally {
            await page.close();
          }
        },
        120_000
      );

      test('changing the time range changes the data (last 7 days -> last 24 hours)', async () => {
        const { page, panels: before } = await open(uid, 'light');
        try {
          await page.selectOption('[data-testid="time-range"]', 'now-24h');
          const gen = await page.evaluate(() => window.RLHFDash.generation);
          const after = await page.evaluate((g) => window.RLHFDash.waitForPanels(g), gen);
          const from = Date.now() - 24 * 3600_000;
          // Panels with their own range, and catalog tables (the runs table: newest points whatever the range).
          const catalogOnly = (p: DashboardJson['panels'][number]) =>
            (p.targets ?? []).length > 0 && (p.targets as Array<{ type?: string }>).every((t) => t.type === 'catalog');
          const fixedRange = new Set(dashboard.panels.filter((p) => p.timeFrom || catalogOnly(p)).map((p) => p.id));
          let narrowed = 0;
          for (const p of after) {
            const b = before.find((x) => x.id === p.id)!;
            expect(describePanel(p)).not.toMatch(/: error/);
            // A panel whose 7-day data reached back more than a day must now start within the last day (within
            // one bucket of an explicit query interval), or be empty if nothing happened in that day.
            const slack = Math.max(60_000, ...targetIntervals(dashboard, p.id));
            if (!fixedRange.has(p.id) && b.summary?.minTime !== undefined && b.summary.minTime < from - 3600_000) {
              expect(describePanel(p)).toMatch(/: (done|empty)/);
              expect(p.summary!.hash).not.toBe(b.summary.hash);
              if (p.state === 'done' && p.summary!.minTime !== undefined) {
                const startsInRange = p.summary!.minTime >= from - slack;
                expect({ panel: p.title, startsInRange }).toEqual({ panel: p.title, startsInRange: true });
                narrowed++;
              }
            }
          }
          const timeData = dashboard.panels.some((p) =>
            /"type":"(timeseries|events)"/.test(JSON.stringify(p.targets ?? []))
          );
          if (timeData) {
            expect(narrowed).toBeGreaterThan(0);
          }
        } finally {
          await page.close();
        }
      }, 120_000);
    });

    /** Follows a link of the page (a full load of the host at /d/<uid>?...) and waits for every panel again. */
    async function follow(page: Opened['page'], link: ReturnType<Opened['page']['locator']>) {
      await Promise.all([page.waitForEvent('load'), link.click()]);
      await page.waitForFunction(() => document.documentElement.dataset.dashboardReady === 'true', undefined, {
        timeout: 25_000,
      });
      return page.evaluate(() => window.RLHFDash.waitForPanels());
    }
    const panel = (page: Opened['page'], title: string) => page.locator(`[data-panel-title="${title}"]`);
    const hrefs = (page: Opened['page'], title: string) =>
      panel(page, title)
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('href')!));

    test('drill-down: each run of the Runs table opens Training with that run (same time range)', async () => {
      const { page } = await open('rlhf-overview', 'light');
      try {
        const links = await hrefs(page, 'Runs');
        const runs = links.map((h) => /^\/d\/rlhf-training\?from=now-7d&to=now&var-run=([^&]+)$/.exec(h)?.[1]);
        expect(runs.every(Boolean)).toBe(true);
        // One link per row, named by the run it opens (the demo's training runs among them).
        const cells = await panel(page, 'Runs')
          .locator('a[href]')
          .evaluateAll((as) => as.map((a) => a.textContent?.trim()));
        expect(runs).toEqual(cells);
        expect(runs).toEqual(expect.arrayContaining(['ppo-llama3-8b', 'dpo-llama3-8b']));
        await panel(page, 'Runs').screenshot({ path: path.join(SHOTS, 'drilldown-runs-table-light.png') });
        const after = await follow(page, panel(page, 'Runs').locator('a[href$="var-run=dpo-llama3-8b"]'));
        expect(new URL(page.url()).pathname).toBe('/d/rlhf-training');
        const run = await page.evaluate(() => window.RLHFDash.variables().find((v) => v.name === 'run')?.current);
        expect(run).toBe('dpo-llama3-8b');
        expect(after.filter((p) => p.state === 'error').map(describePanel)).toEqual([]);
      } finally {
        await page.close();
      }
    }, 120_000);

    test.each(THEMES)(
      'drill-down: a bar of PSI / KS by feature shows the histogram of its feature (%s theme)',
      async (theme) => {
        const { page } = await open('rlhf-evaluation', theme);
        try {
          const kept = 'var-run=ppo-llama3-8b&var-model=reward-model&var-reference=training&var-current=production';
          const features = ['prompt_length', 'response_length', 'reward_score'];
          for (const title of ['PSI by feature', 'KS statistic by feature']) {
            expect((await hrefs(page, title)).sort()).toEqual(
              features.map((f) => `/d/rlhf-evaluation?from=now-7d&to=now&${kept}&var-feature=${f}`)
            );
          }
          const drift = () => panel(page, 'Drift: training vs production').innerText();
          // Without $feature the most severe feature's histogram shows; a bar of another one switches to it.
          const first = /histogram: (\w+)/.exec(await drift())?.[1];
          expect(features).toContain(first);
          const other = features.find((f) => f !== first)!;
          await follow(page, panel(page, 'PSI by feature').locator(`a[href$="var-feature=${other}"]`));
          expect(await drift()).toContain(`histogram: ${other}`);
          // The link carries no theme (a user preference in Grafana): the same URL again, in this theme.
          await page.goto(`${page.url()}&theme=${theme}`);
          await page.waitForFunction(() => document.documentElement.dataset.dashboardReady === 'true');
          await page.evaluate(() => window.RLHFDash.waitForPanels());
          expect(await drift()).toContain(`histogram: ${other}`);
          const selected = panel(page, 'Drift: training vs production').locator('[aria-selected="true"]');
          expect(await selected.getAttribute('data-feature')).toBe(other);
          await fullScreenshot(page, path.join(SHOTS, `drilldown-feature-${theme}.png`));
        } finally {
          await page.close();
        }
      },
      120_000
    );

    test('the data source health check passes with the provisioned key and fails with a wrong one', async () => {
      const { page } = await open('rlhf-overview', 'light');
      const ds = stack.harness.datasource('rlhf');
      const key = ds.secureJsonData.apiKey;
      try {
        expect(key).toBe(stack.apiKey);
        const ok = await page.evaluate(() => window.RLHFDash.testDatasource());
        expect(ok.status).toBe('success');
        expect(ok.message).toMatch(/API key accepted/);

        ds.secureJsonData.apiKey = 'not-the-key';
        const wrong = await page.evaluate(() => window.RLHFDash.testDatasource());
        expect(wrong.status).toBe('error');
        expect(wrong.message).toMatch(/key/i);
        // The proxy forwarded the wrong key and the service refused it (Grafana turns that 401 into a 400).
        expect(stack.harness.proxyLog.at(-1)).toMatchObject({ status: 401, authorization: true });
      } finally {
        ds.secureJsonData.apiKey = key;
        await page.close();
      }
      // The key lives on the server side only: the browser never receives it.
      const settings = await (await fetch(`${stack.harness.url}/api/frontend/settings`)).text();
      expect(settings).not.toContain(key);
      const toService = stack.harness.proxyLog.filter((r) => r.upstream.startsWith(stack.service.url));
      expect(toService.length).toBeGreaterThan(0);
      expect(toService.every((r) => r.authorization)).toBe(true);
    }, 60_000);
  }
);
