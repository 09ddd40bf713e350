/**
 * Browser test of the BUILT panel bundles (dist/panels/<x>/module.js): headless Debian Chromium through
 * playwright-core loads each AMD module on the e2e host page (e2e/host, which shares React and Grafana's
 * packages the way Grafana does), renders it with frames from the real metrics service running its demo,
 * checks what is drawn, and saves screenshots to test-results/panels/<panel>-<theme>.png.
 * Needs `npm run build` first.
 */
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startService } from '../server/src/service';
import { buildHost } from './host/build';
import { axeViolations, formatViolations } from './support/axe';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'test-results', 'panels');
const PANELS = ['calibration', 'drift', 'pipeline'] as const;
type PanelName = (typeof PANELS)[number];

const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.CI !== 'true') {
  console.warn(
    `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
      `!! SKIPPING e2e/panels.test.ts: ${CHROMIUM} is missing (apt-get install -y chromium).\n` +
      `!! The panels were NOT tested in a browser. (With CI=true this fails instead.)\n` +
      `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`
  );
}
const suite = haveChromium || process.env.CI === 'true' ? describe : describe.skip;

type FrameJSON = {
  schema: { name?: string; refId?: string; fields: Array<{ name: string }> };
  data: { values: unknown[][] };
};
type Target = Record<string, unknown> & { refId: string };

/** Serve the host page and the built plugin from one origin (the module's `define` needs same-origin scripts). */
function serveStatic(hostDist: string): Promise<{ url: string; close: () => Promise<void> }> {
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.json': 'application/json',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.map': 'application/json',
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [prefix, base] = url.pathname.startsWith('/dist/')
      ? ['/dist/', path.join(ROOT, 'dist')]
      : ['/host/', hostDist];
    const file = path.normalize(path.join(base, url.pathname.slice(prefix.length)));
    if (!file.startsWith(base) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) });
    })
  );
}

describe('built panel bundles', () => {
  // Grafana's packages stay external, so a panel is just its own code: keep it well under 150 KB minified.
  it.each(PANELS)('dist/panels/%s/module.js is an AMD module under 150 KB', (p) => {
    const file = path.join(ROOT, 'dist', 'panels', p, 'module.js');
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).size).toBeLessThan(150 * 1024);
    const head = fs.readFileSync(file, 'utf8').slice(0, 2000);
    expect(head).toMatch(/define\(\[[^\]]*"@grafana\/data"/);
    expect(head).not.toMatch(/"@grafana\/schema"/); // not shared by Grafana at runtime: must not be a dependency
  });
});

const value = (f: FrameJSON, name: string) => f.data.values[f.schema.fields.findIndex((x) => x.name === name)];

suite('panels in headless Chromium (built bundles, demo service data)', () => {
  let context: BrowserContext;
  let page: Page;
  let site: { url: string; close: () => Promise<void> };
  let service: Awaited<ReturnType<typeof startService>>;
  let userDataDir: string;
  const pageErrors: string[] = [];
  /** Frames per refId from one query of the demo service. */
  let results: Record<string, FrameJSON[]>;
  const targets: Record<string, Target> = {
    status: { refId: 'A', type: 'status' },
    agreement: { refId: 'B', type: 'agreement', dataset: 'prefs-helpfulness' },
    reward: { refId: 'C', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/rlhf_reward' },
    calibration: { refId: 'D', type: 'calibration', model: 'reward-model' },
    latency: { refId: 'E', type: 'timeseries', run: 'serve-prod', metric: 'latency_p99_ms' },
    drift: { refId: 'F', type: 'drift', feature: 'reward_score', reference: 'training', current: 'production' },
    features: { refId: 'G', type: 'drift', feature: '*', reference: 'training', current: 'production' },
    drift2: { refId: 'H', type: 'drift', feature: 'response_length', reference: 'training', current: 'production' },
  };

  beforeAll(async () => {
    if (!haveChromium) {
      throw new Error(`${CHROMIUM} is missing and CI=true: install it (apt-get install -y chromium)`);
    }
    for (const p of PANELS) {
      const m = path.join(ROOT, 'dist', 'panels', p, 'module.js');
      if (!fs.existsSync(m)) {
        throw new Error(`${m} is missing: run \`npm run build\` before this test`);
      }
    }
    fs.mkdirSync(OUT, { recursive: true });
    const [hostDist, svc] = await Promise.all([buildHost(), startService({ demo: true, port: 0, db: ':memory:' })]);
    service = svc;
    await service.seeded;
    const now = Date.now();
    const res = await fetch(`${service.url}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: now - 6 * 3600_000, to: now, maxDataPoints: 500, queries: Object.values(targets) }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Record<string, { frames: FrameJSON[] }> };
    results = Object.fromEntries(Object.entries(body.results).map(([k, v]) => [k, v.frames]));

    site = await serveStatic(hostDist);
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-chromium-'));
    // A fresh profile per run (playwright passes it as --user-data-dir).
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1500, height: 900 },
      deviceScaleFactor: 1,
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') {
        pageErrors.push(m.text());
      }
    });
    await page.goto(`${site.url}/host/index.html`);
    await page.waitForFunction(() => document.documentElement.dataset.hostReady === 'true');
  }, 240_000);

  afterAll(async () => {
    await context?.close();
    await site?.close();
    await service?.close();
    if (userDataDir) {
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  });

  beforeEach(() => {
    pageErrors.length = 0;
  });

  interface Shot {
    frames: FrameJSON[];
    targets?: Target[];
    options?: Record<string, unknown>;
    width: number;
    height: number;
    theme: 'light' | 'dark';
    title: string;
  }

  /** Render one panel alone on the page, return its container's selector. */
  async function render(panel: PanelName, s: Shot): Promise<string> {
    // Park the pointer where no panel is, so a hover tooltip from the last test cannot end up in the shot.
    await page.mouse.move(1499, 899);
    await page.evaluate(
      async ({ url, s }) => {
        window.RLHFHost.clear();
        window.RLHFHost.setPageTheme(s.theme);
        await window.RLHFHost.renderPanel(url, { ...s, containerId: 'shot' });
      },
      { url: `/dist/panels/${panel}/module.js`, s }
    );
    await page.waitForTimeout(50);
    return '#shot';
  }

  /** The panel's own root never draws outside the size Grafana gave it. */
  async function expectNoOverflow(testId: string) {
    const box = await page.evaluate((id) => {
      const el = document.querySelector(`[data-testid="${id}"]`) as HTMLElement;
      return { sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight };
    }, testId);
    expect(box.sw).toBeLessThanOrEqual(box.cw + 1);
    expect(box.sh).toBeLessThanOrEqual(box.ch + 1);
  }

  async function shoot(selector: string, name: string) {
    await page.locator(selector).screenshot({ path: path.join(OUT, `${name}.png`) });
  }

  const calibrationShot = (theme: 'light' | 'dark', width = 640, height = 340): Shot => ({
    frames: results.D,
    targets: [targets.calibration],
    width,
    height,
    theme,
    title: 'Reward-model calibration',
  });

  it.each(['light', 'dark'] as const)('calibration panel (%s)', async (theme) => {
    const sel = await render('calibration', calibrationShot(theme));
    const bins = results.D.find((f) => f.schema.name === 'bins')!;
    const summary = results.D.find((f) => f.schema.name === 'summary')!;
    const nonEmpty = (value(bins, 'count') as number[]).filter((c) => c > 0).length;
    expect(await page.locator('[data-testid="cal-bin"]').count()).toBe(nonEmpty);
    expect(await page.locator('[data-testid="cal-ece-value"]').textContent()).toBe(
      (value(summary, 'ece')[0] as number).toFixed(3)
    );
    expect(await page.locator('[data-testid="confidence-histogram"]').count()).toBe(1);
    await expectNoOverflow('calibration-panel');
    await shoot(sel, `calibration-${theme}`);
    // Hover a bin: the read-out tooltip appears inside the panel.
    await page.locator('[data-testid="cal-bin"] rect').last().hover();
    await expect(page.locator('[data-testid="humain-chart-tooltip"]').textContent()).resolves.toContain('Predictions');
    expect(pageErrors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)('drift panel, one feature and all features (%s)', async (theme) => {
    let sel = await render('drift', {
      frames: results.F,
      targets: [targets.drift],
      width: 640,
      height: 300,
      theme,
      title: 'reward_score drift',
    });
    const summary = results.F.find((f) => f.schema.name === 'summary')!;
    expect(await page.locator('[data-testid="drift-bin"]').count()).toBe(20);
    expect(await page.locator('[data-testid="drift-severity"]').getAttribute('data-severity')).toBe(
      value(summary, 'severity')[0]
    );
    await expectNoOverflow('drift-panel');
    await shoot(sel, `drift-${theme}`);

    // All features plus the single-feature histogram beside the table.
    sel = await render('drift', {
      frames: [...results.G, ...results.F],
      targets: [targets.features, targets.drift],
      width: 900,
      height: 260,
      theme,
      title: 'Production drift by feature',
    });
    const features = results.G[0];
    const rows = page.locator('[data-testid="drift-feature-row"]');
    expect(await rows.count()).toBe((value(features, 'feature') as string[]).length);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-feature')))).toEqual(
      value(features, 'feature')
    );
    await expectNoOverflow('drift-panel');
    await shoot(sel, `drift-features-${theme}`);
    expect(pageErrors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)('pipeline panel (%s)', async (theme) => {
    const frames = [...results.A, ...results.B, ...results.C, ...results.D, ...results.E];
    const sel = await render('pipeline', { frames, width: 1200, height: 190, theme, title: 'RLHF pipeline' });
    const status = results.A[0];
    const cards = page.locator('[data-testid="pipeline-phase"]');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).toEqual(
      value(status, 'state')
    );
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('href')))).toEqual([
      '/d/rlhf-data?from=now-6h&to=now',
      '/d/rlhf-training?from=now-6h&to=now',
      '/d/rlhf-evaluation?from=now-6h&to=now',
      '/d/rlhf-deployment?from=now-6h&to=now',
    ]);
    // Every phase gets a headline from the service's frames (no dash placeholders).
    const headlines = await page.locator('[data-testid="pipeline-headline"]').allTextContents();
    expect(headlines).toHaveLength(4);
    expect(headlines.filter((h) => h.endsWith('—'))).toEqual([]);
    await expectNoOverflow('pipeline-panel');
    await shoot(sel, `pipeline-${theme}`);

    // Keyboard: Tab reaches the phase links in flow order; focus shows the reason in a tooltip.
    await page.locator('body').click({ position: { x: 2, y: 2 } });
    const focused: string[] = [];
    for (let i = 0; i < 12 && focused.length < 4; i++) {
      await page.keyboard.press('Tab');
      const phase = await page.evaluate(() => document.activeElement?.getAttribute('data-phase') ?? null);
      if (phase && !focused.includes(phase)) {
        focused.push(phase);
      }
    }
    expect(focused).toEqual(['data', 'training', 'evaluation', 'deployment']);
    // The focused (last) card's reason is shown; earlier cards' tooltips may still be fading out on a busy machine.
    const reason = String(value(status, 'reason')[3]);
    await expect(page.getByRole('tooltip').filter({ hasText: reason }).first().textContent()).resolves.toContain(
      reason
    );
    expect(pageErrors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    'each panel fits a 4x3 grid cell (~200x90 content) without overflow (%s)',
    async (theme) => {
      const tiny = { width: 216, height: 130, theme };
      const cases: Array<[PanelName, string, Shot]> = [
        ['calibration', 'calibration-panel', { ...calibrationShot(theme), ...tiny, title: 'Calibration' }],
        ['drift', 'drift-panel', { frames: results.F, targets: [targets.drift], ...tiny, title: 'Drift' }],
        ['pipeline', 'pipeline-panel', { frames: [...results.A, ...results.D], ...tiny, title: 'Pipeline' }],
      ];
      for (const [panel, testId, shot] of cases) {
        const sel = await render(panel, shot);
        const size = await page.evaluate((id) => {
          const r = document.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
          return { w: r.width, h: r.height };
        }, testId);
        expect(size.w).toBeLessThanOrEqual(200);
        expect(size.h).toBeLessThanOrEqual(100);
        await expectNoOverflow(testId);
        await shoot(sel, `${panel}-tiny-${theme}`);
      }
      expect(pageErrors).toEqual([]);
    }
  );

  it('each panel reads well at full dashboard width (24 grid units)', async () => {
    const wide = { width: 1450, height: 300, theme: 'light' as const };
    const cases: Array<[PanelName, string, Shot]> = [
      ['calibration', 'calibration-panel', { ...calibrationShot('light'), ...wide }],
      [
        'drift',
        'drift-panel',
        { frames: [...results.G, ...results.F], targets: [targets.features, targets.drift], ...wide, title: 'Drift' },
      ],
      [
        'pipeline',
        'pipeline-panel',
        { frames: [...results.A, ...results.B, ...results.C, ...results.D, ...results.E], ...wide, title: 'Pipeline' },
      ],
    ];
    for (const [panel, testId, shot] of cases) {
      const sel = await render(panel, shot);
      await expectNoOverflow(testId);
      await shoot(sel, `${panel}-wide-light`);
    }
    expect(pageErrors).toEqual([]);
  });

  /** Each panel in its usual shapes: one feature and all features for drift, every phase for the pipeline. */
  const everyPanel = (
    theme: 'light' | 'dark',
    width: number,
    height: number
  ): Array<[string, PanelName, string, Shot]> => [
    ['calibration', 'calibration', 'calibration-panel', { ...calibrationShot(theme), width, height }],
    [
      'drift',
      'drift',
      'drift-panel',
      { frames: results.F, targets: [targets.drift], width, height, theme, title: 'Drift' },
    ],
    [
      'drift-features',
      'drift',
      'drift-panel',
      {
        frames: [...results.G, ...results.F],
        targets: [targets.features, targets.drift],
        width,
        height,
        theme,
        title: 'Drift',
      },
    ],
    [
      'pipeline',
      'pipeline',
      'pipeline-panel',
      {
        frames: [...results.A, ...results.B, ...results.C, ...results.D, ...results.E],
        width,
        height,
        theme,
        title: 'Pipeline',
      },
    ],
  ];

  it.each(['light', 'dark'] as const)('no WCAG 2.1 A/AA violation in any panel (axe-core, %s)', async (theme) => {
    const found: string[] = [];
    for (const [name, panel, , shot] of everyPanel(theme, 900, 340)) {
      const sel = await render(panel, shot);
      const vs = await axeViolations(page, sel);
      if (vs.length) {
        found.push(`${name} (${theme}):\n${formatViolations(vs)}`);
      }
    }
    expect(found.join('\n')).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it('drift rows and pipeline cards are reached with Tab, work with Enter, and show where the focus is', async () => {
    // Two features with histograms: a row can move the histogram to its feature.
    await render('drift', {
      frames: [...results.G, ...results.F, ...results.H],
      targets: [targets.features, targets.drift, targets.drift2],
      width: 900,
      height: 340,
      theme: 'light',
      title: 'Drift',
    });
    const focused = async () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return {
          testid: el.dataset.testid,
          feature: el.dataset.feature,
          selected: el.getAttribute('aria-selected'),
          ring: getComputedStyle(el).boxShadow,
        };
      });
    let row = await focused();
    for (let i = 0; i < 8 && !(row.testid === 'drift-feature-row' && row.selected === 'false'); i++) {
      await page.keyboard.press('Tab');
      row = await focused();
    }
    expect(row).toMatchObject({ testid: 'drift-feature-row', selected: 'false' });
    expect(row.ring).not.toBe('none');
    await page.keyboard.press('Enter');
    // Wait for React to draw the choice (reading the selected row at once can still see the old one); a row that
    // never becomes selected fails here on the timeout.
    await page.waitForFunction(
      (f) =>
        document
          .querySelector('[data-testid="drift-feature-row"][aria-selected="true"]')
          ?.getAttribute('data-feature') === f,
      row.feature,
      { timeout: 5000 }
    );
    await expect(page.locator('[data-testid="drift-feature-row"][aria-selected="true"]').count()).resolves.toBe(1);

    await render('pipeline', everyPanel('light', 900, 200)[3][3]);
    let card = await focused();
    for (let i = 0; i < 5 && card.testid !== 'pipeline-phase'; i++) {
      await page.keyboard.press('Tab');
      card = await focused();
    }
    expect(card.testid).toBe('pipeline-phase');
    expect(card.ring).not.toBe('none');
    expect(pageErrors).toEqual([]);
  });

  it.each(['light', 'dark'] as const)(
    "each panel stays legible at 375 px, Grafana's one-column phone layout (%s)",
    async (theme) => {
      // A 375 px phone: Grafana stacks panels full width, 8 px margins each side; panels keep their grid height.
      for (const [name, panel, testId, shot] of everyPanel(theme, 359, 320)) {
        // The pipeline panel is 6 grid rows (220 px) on the Overview.
        const sel = await render(panel, panel === 'pipeline' ? { ...shot, height: 220 } : shot);
        await expectNoOverflow(testId);
        if (panel === 'pipeline') {
          // Four columns of 80 px cut the state words: two by two instead.
          await expect(page.locator('[data-testid="pipeline-panel"]').getAttribute('data-layout')).resolves.toBe(
            'grid'
          );
        }
        // Nothing smaller than 10 px is text a phone user can read.
        const tiny = await page.evaluate((id) => {
          const root = document.querySelector(`[data-testid="${id}"]`)!;
          return [...root.querySelectorAll('*')]
            .filter(
              (e) => e.childNodes.length && [...e.childNodes].some((c) => c.nodeType === 3 && c.textContent!.trim())
            )
            .filter((e) => parseFloat(getComputedStyle(e).fontSize) < 10)
            .map((e) => e.textContent!.trim().slice(0, 30));
        }, testId);
        expect({ name, tiny }).toEqual({ name, tiny: [] });
        await shoot(sel, `${name}-375-${theme}`);
      }
      expect(pageErrors).toEqual([]);
    }
  );

  it('shows the empty state with the missing field', async () => {
    const sel = await render('calibration', {
      frames: [{ schema: { name: 'x', fields: [{ name: 'score' }] }, data: { values: [[0.3, 0.6]] } }],
      width: 400,
      height: 160,
      theme: 'light',
      title: 'Calibration (no data)',
    });
    await expect(page.locator('[data-testid="humain-empty"]').textContent()).resolves.toContain(
      'No data for this range'
    );
    await expect(page.locator('[data-testid="humain-empty"]').textContent()).resolves.toContain('field "confidence"');
    await shoot(sel, 'calibration-empty-light');
    expect(pageErrors).toEqual([]);
  });
});
