// Everything the dashboard suite and bench need running: the metrics service with its demo pipeline, the
// harness server (host page + built plugin + data-source proxy), and headless Chromium.
import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startService, type Service } from '../../server/src/service';
import { buildHost, ROOT } from './host/build';
import { startHarness, type Harness } from './harnessServer';
import type { PanelReport } from './host/PanelView';
import { PROMETHEUS_BIN, prometheusInstalled, startPrometheus, type RunningPrometheus } from './prometheusServer';
import { readProvisionedDataSources } from './provisioning';

export { ROOT };
/** The built plugin; RLHF_E2E_DIST points elsewhere (e.g. a build kept apart from a tree others rebuild). */
export const DIST = path.resolve(ROOT, process.env.RLHF_E2E_DIST ?? 'dist');
export const DASHBOARDS = path.join(ROOT, 'dashboards');
export const CHROMIUM = '/usr/bin/chromium';
export const VIEWPORT = { width: 1600, height: 1000 };

/** The built modules the host loads; without them the suite cannot say anything about the plugin. */
export function assertBuilt(): void {
  const needed = ['plugin.json', 'module.js', 'datasource/module.js', 'datasource/plugin.json'];
  const missing = needed.filter((f) => !fs.existsSync(path.join(DIST, f)));
  if (missing.length) {
    throw new Error(`dist/ lacks ${missing.join(', ')}: run npm run build first`);
  }
}

export interface Stack {
  service: Service;
  harness: Harness;
  apiKey: string;
  /** The real Prometheus scraping the service and the demo exporters (absent where it is not installed). */
  prometheus?: RunningPrometheus;
  close(): Promise<void>;
}

/**
 * The service with the demo (seeded), a real Prometheus scraping it (when installed; required with CI=true), and
 * the harness using the provisioned data sources: ours with the same key, Prometheus at the one just started.
 */
export async function startStack(o: { apiKey?: string; prometheus?: boolean } = {}): Promise<Stack> {
  assertBuilt();
  const apiKey = o.apiKey ?? `e2e-${Math.random().toString(36).slice(2)}`;
  const withPrometheus = o.prometheus ?? prometheusInstalled();
  if (!withPrometheus && o.prometheus === undefined && process.env.CI === 'true') {
    throw new Error(`${PROMETHEUS_BIN} is not installed: .ci/run installs it (apt-get install prometheus)`);
  }
  const [hostDir, service] = await Promise.all([
    buildHost(),
    startService({ demo: true, port: 0, db: ':memory:', apiKey, logger: false }),
  ]);
  let prometheus: RunningPrometheus | undefined;
  try {
    // Started before seeding finishes, so it has samples by the time the dashboards open.
    // With the last hour of the demo exporters backfilled, the live panels draw a history, not a minute of scrapes
    // (the demo's story starts seven days before the service did, as its runner sets it).
    prometheus = withPrometheus
      ? await startPrometheus({
          root: ROOT,
          serviceUrl: service.url,
          apiKey,
          history: { minutes: 60, storyStart: Date.now() - 7 * 86_400_000 },
        })
      : undefined;
    await service.seeded;
    // Enough samples for rate() and histogram_quantile() over $__rate_interval on every Prometheus panel.
    await prometheus?.ready();
    // Provisioning as Grafana reads it, with $RLHF_API_KEY from Grafana's environment.
    const datasources = readProvisionedDataSources(path.join(ROOT, 'provisioning/datasources'), {
      RLHF_API_KEY: apiKey,
    });
    const rlhf = datasources.find((d) => d.uid === 'rlhf');
    if (!rlhf) {
      throw new Error('provisioning/datasources has no data source with uid rlhf');
    }
    // jsonData.url names the compose service (http://rlhf-monitor:8400); here that service is the one just started.
    rlhf.jsonData.url = service.url;
    const prom = datasources.find((d) => d.uid === 'prometheus');
    if (prom && prometheus) {
      // url names the compose service (http://prometheus:9090). timeInterval stays as provisioned (15 s, the
      // backfilled history's resolution), so $__rate_interval spans several samples there as in production.
      prom.url = prometheus.url;
    }
    const harness = await startHarness({
      distDir: DIST,
      hostDir,
      dashboardsDir: DASHBOARDS,
      // Without a Prometheus here its panels stay marked "Needs Prometheus".
      datasources: datasources.filter((d) => d.type !== 'prometheus' || prometheus),
    });
    return {
      service,
      harness,
      apiKey,
      prometheus,
      close: async () => {
        await harness.close();
        await prometheus?.close();
        await service.close();
      },
    };
  } catch (e) {
    await prometheus?.close();
    await service.close();
    throw e;
  }
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium with a fresh profile directory, removed on close. */
export async function launchBrowser(): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: VIEWPORT,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface OpenOptions {
  theme?: 'light' | 'dark';
  from?: string;
  to?: string;
  vars?: Record<string, string>;
}

export function dashboardUrl(harness: Harness, uid: string, o: OpenOptions = {}): string {
  const q = new URLSearchParams();
  q.set('theme', o.theme ?? 'light');
  if (o.from) {
    q.set('from', o.from);
  }
  if (o.to) {
    q.set('to', o.to);
  }
  for (const [k, v] of Object.entries(o.vars ?? {})) {
    q.append(`var-${k}`, v);
  }
  return `${harness.url}/d/${encodeURIComponent(uid)}?${q}`;
}

export interface Opened {
  page: Page;
  panels: PanelReport[];
  /** From navigation start to every panel rendered (ms). */
  loadMs: number;
  /** Uncaught page errors and console errors seen while loading. */
  pageErrors: string[];
  variableErrors?: string;
  /** The host's own marks, ms since navigation: script, settings, modules, variables, panels. */
  timings: Record<string, number>;
}

/** Open a dashboard in a new page and wait until every panel has rendered (or the host failed to boot). */
export async function openDashboard(b: Browser, harness: Harness, uid: string, o: OpenOptions = {}): Promise<Opened> {
  const page = await b.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') {
      pageErrors.push(m.text());
    }
  });
  const t0 = Date.now();
  await page.goto(dashboardUrl(harness, uid, o), { waitUntil: 'domcontentloaded' });
  await page.waitForFunction(
    () => document.documentElement.dataset.dashboardReady === 'true' || document.documentElement.dataset.bootError,
    undefined,
    { timeout: 25_000, polling: 10 }
  );
  const loadMs = Date.now() - t0;
  const bootError = await page.evaluate(() => document.documentElement.dataset.bootError);
  if (bootError) {
    throw new Error(`host failed on ${uid}: ${bootError}\npage errors: ${pageErrors.join('\n')}`);
  }
  const panels = await page.evaluate(() => window.RLHFDash.waitForPanels());
  const variableErrors = await page.evaluate(() => document.body.dataset.variableErrors);
  const timings = await page.evaluate(() => window.RLHFDash.timings);
  return { page, panels, loadMs, pageErrors, variableErrors, timings };
}

/**
 * A screenshot of the whole page as a user scrolling through it sees it: the viewport is made as tall as the
 * page first, because grids that render only what is on screen (Grafana's table, react-data-grid) leave
 * below-the-fold rows unpainted in a plain full-page capture.
 */
export async function fullScreenshot(page: Page, file: string): Promise<void> {
  const viewport = page.viewportSize() ?? VIEWPORT;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height });
  await page.waitForTimeout(300);
  await page.screenshot({ path: file, fullPage: true });
  await page.setViewportSize(viewport);
}
