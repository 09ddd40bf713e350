/**
 * The data source's editors from the BUILT plugin (dist/datasource/module.js) in headless Chromium, used the way
 * a user does: the host page (e2e/editors/host) loads the module through Grafana's AMD sharing, renders the query,
 * config, variable and annotation editors with @grafana/ui, and drives them against the live demo service through
 * the data-source proxy of the harness (the key is added server-side). Also: the service down, a wrong key and no
 * URL; 375 and 520 px widths; axe-core on our markup. Screenshots go to test-results/editors/<state>.png.
 * Needs `npm run build` first and /usr/bin/chromium.
 */
import fs from 'fs';
import net from 'net';
import path from 'path';
import type { Page } from 'playwright-core';
import { startService, type Service } from '../../server/src/service';
import { startHarness, type Harness } from '../dashboards/harnessServer';
import { readProvisionedDataSources, type ProvisionedDataSource } from '../dashboards/provisioning';
import { assertBuilt, CHROMIUM, DASHBOARDS, DIST, launchBrowser, ROOT, type Browser } from '../dashboards/stack';
import { axeViolations, formatViolations } from '../support/axe';
import { buildEditorsHost } from './host/build';

const SHOTS = path.join(ROOT, 'test-results/editors');
const chromiumMissing = !fs.existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';
if (chromiumMissing && !inCI) {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPED e2e/editors: ${CHROMIUM} is missing (apt-get install -y chromium)\n${'!'.repeat(78)}\n`
  );
}

type Query = Record<string, unknown> & { refId: string };
type Kind = 'query' | 'config' | 'variable' | 'annotation';
interface OpenOptions {
  kind?: Kind;
  query?: Query | Record<string, unknown>;
  theme?: 'light' | 'dark';
  width?: number;
  ds?: string;
}

/** A TCP port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

(chromiumMissing && !inCI ? describe.skip : describe)('data source editors in headless Chromium (built plugin)', () => {
  let service: Service;
  let harness: Harness;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (chromiumMissing) {
      throw new Error(`${CHROMIUM} is missing: .ci/run must install it`);
    }
    assertBuilt();
    fs.mkdirSync(SHOTS, { recursive: true });
    const apiKey = `e2e-${Math.random().toString(36).slice(2)}`;
    const [hostDir, svc] = await Promise.all([
      buildEditorsHost(),
      startService({ demo: true, port: 0, db: ':memory:', apiKey, logger: false }),
    ]);
    service = svc;
    await service.seeded;
    const [rlhf] = readProvisionedDataSources(path.join(ROOT, 'provisioning/datasources'), {
      RLHF_API_KEY: apiKey,
    }).filter((d) => d.uid === 'rlhf');
    rlhf.jsonData.url = service.url;
    const variant = (uid: string, over: Partial<ProvisionedDataSource>): ProvisionedDataSource => ({
      ...rlhf,
      uid,
      name: `RLHF ${uid}`,
      isDefault: false,
      ...over,
    });
    const datasources = [
      rlhf,
      variant('down', { jsonData: { url: `http://127.0.0.1:${await closedPort()}` } }),
      variant('badkey', { secureJsonData: { apiKey: 'not-the-key' } }),
      variant('nourl', { jsonData: { url: '' } }),
    ];
    harness = await startHarness({ distDir: DIST, hostDir, dashboardsDir: DASHBOARDS, datasources });
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await service?.close();
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function open(o: OpenOptions = {}): Promise<Page> {
    await page?.close();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      // A 4xx/5xx the test provokes on purpose is logged by Chromium as a failed resource: not an error of ours.
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) {
        pageErrors.push(m.text());
      }
    });
    const q = new URLSearchParams({
      kind: o.kind ?? 'query',
      theme: o.theme ?? 'light',
      width: String(o.width ?? 1200),
      ds: o.ds ?? 'rlhf',
      query: JSON.stringify(o.query ?? { refId: 'A' }),
    });
    await page.setViewportSize({ width: Math.max(o.width ?? 1200, 375), height: 900 });
    await page.goto(`${harness.url}/d/editor?${q}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(
      () => document.documentElement.dataset.editorReady === 'true' || document.documentElement.dataset.bootError,
      undefined,
      { timeout: 30_000 }
    );
    const bootError = await page.evaluate(() => document.documentElement.dataset.bootError);
    expect(bootError).toBeUndefined();
    await settle();
    return page;
  }

  /** Let catalog look-ups and the runs they cause finish (twice: an answer may start another request). */
  async function settle() {
    for (let i = 0; i < 2; i++) {
      await page.waitForTimeout(120);
      await page.waitForFunction(() => window.RLHFEditors.pending === 0, undefined, { timeout: 10_000, polling: 20 });
    }
  }

  const state = () =>
    page.evaluate(() => ({
      query: window.RLHFEditors.query(),
      runs: window.RLHFEditors.runs,
      results: window.RLHFEditors.results,
      changes: window.RLHFEditors.changes.length,
      options: window.RLHFEditors.options as Record<string, any>,
    }));

  async function shot(name: string) {
    await page.locator('#root').screenshot({ path: path.join(SHOTS, `${name}.png`) });
  }

  async function noAxeViolations() {
    const violations = await axeViolations(page, '#root');
    expect(formatViolations(violations)).toBe('');
  }

  /** A picker by its label (required fields carry " *" in their accessible name). */
  const picker = (label: string) => page.getByRole('combobox', { name: new RegExp(`^${label}( \\*)?$`) });

  async function typeInto(label: string, text: string) {
    const input = picker(label);
    await input.click();
    await input.fill(text);
    await page.keyboard.press('Enter');
    await settle();
  }

  async function choose(label: string, option: string) {
    await picker(label).click();
    await page
      .getByRole('option', { name: new RegExp(`^${option.replace(/[*$/]/g, '\\$&')}`) })
      .first()
      .click();
    await settle();
  }

  const TIMESERIES = { refId: 'A', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/kl' };

  describe('custom pattern + Enter in every picker', () => {
    const cases: Array<[string, Query, string, string, string]> = [
      ['timeseries', TIMESERIES, 'Metric', 'loss/*', 'metric'],
      ['timeseries', TIMESERIES, 'Run', 'ppo-*', 'run'],
      ['calibration', { refId: 'A', type: 'calibration', model: 'reward-model' }, 'Model', 'reward-*', 'model'],
      [
        'drift',
        { refId: 'A', type: 'drift', feature: 'category', reference: 'training', current: 'production' },
        'Feature',
        'prompt_*',
        'feature',
      ],
      [
        'drift',
        { refId: 'A', type: 'drift', feature: 'category', reference: 'training', current: 'production' },
        'Reference',
        'baseline',
        'reference',
      ],
      [
        'drift',
        { refId: 'A', type: 'drift', feature: 'category', reference: 'training', current: 'production' },
        'Current',
        'canary',
        'current',
      ],
      ['agreement', { refId: 'A', type: 'agreement', dataset: 'prefs-helpfulness' }, 'Dataset', 'prefs-new', 'dataset'],
      ['catalog', { refId: 'A', type: 'catalog', of: 'metrics', run: 'ppo-llama3-8b' }, 'Run', 'dpo-*', 'run'],
      ['health', { refId: 'A', type: 'health', run: 'ppo-llama3-8b' }, 'Run', 'my-run', 'run'],
    ];
    test.each(cases)('%s: %s', async (_type, query, label, text, key) => {
      await open({ query });
      await typeInto(label, text);
      const s = await state();
      expect(s.query?.[key]).toBe(text);
      await expect(picker(label).isVisible()).resolves.toBe(true); // the editor is still there
    });

    test.each([
      ['events', { refId: 'A', type: 'events', tags: ['training'] }, 'Tags', 'my-tag', 'tags'],
      ['health', { refId: 'A', type: 'health', run: 'ppo-llama3-8b' }, 'Curves', 'objective/*', 'metrics'],
    ] as Array<[string, Query, string, string, string]>)('%s list: %s', async (_type, query, label, text, key) => {
      await open({ query });
      await typeInto(label, text);
      expect((await state()).query?.[key]).toEqual(expect.arrayContaining([text]));
    });
  });

  test('type switch and back keeps every field; exactly one run per real change, none when incomplete', async () => {
    const start = { ...TIMESERIES, phase: 'training', x: 'step', version: 1 };
    await open({ query: start });
    expect((await state()).runs).toBe(0); // opening an existing query runs nothing
    await page.getByRole('radio', { name: 'Calibration' }).click();
    await settle();
    let s = await state();
    expect(s.query).toMatchObject({ type: 'calibration', model: 'reward-model' });
    expect(s.runs).toBe(1); // the filled model runs once; the switch with an empty model did not
    await page.getByRole('radio', { name: 'Time series' }).click();
    await settle();
    s = await state();
    expect(s.query).toEqual(start);
    expect(s.runs).toBe(2);
    await shot('query-timeseries-after-switch-back');

    // A real pick: one run; picking what is already chosen: none.
    await choose('Metric', 'loss');
    expect((await state()).runs).toBe(3);
    await choose('Metric', 'loss');
    expect((await state()).runs).toBe(3);
    // Every run reached the service and answered without error.
    s = await state();
    expect(s.results.map((r) => r.errors)).toEqual([[], [], []]);
  });

  test('a query with an empty required field is not run, and says what is missing', async () => {
    await open({ query: { refId: 'A', type: 'agreement', dataset: 'nope', version: 1 } });
    const input = picker('Dataset');
    await input.click();
    await input.fill('');
    await page.keyboard.press('Escape');
    await page.getByRole('radio', { name: 'Drift' }).click();
    await settle();
    const s = await state();
    expect(s.results.filter((r) => r.errors.length)).toEqual([]);
  });

  test('inline validation: out-of-range numbers and a bad interval get a message at the field, no run', async () => {
    await open({ query: { refId: 'A', type: 'calibration', model: 'reward-model', version: 1 } });
    const bins = page.getByLabel('Bins');
    await bins.fill('500');
    await bins.press('Enter');
    await expect(page.getByText('Enter a number from 1 to 100').isVisible()).resolves.toBe(true);
    const interval = page.getByLabel('Interval');
    await interval.fill('daily');
    await interval.press('Enter');
    await expect(page.getByText(/Enter a duration such as 6h/).isVisible()).resolves.toBe(true);
    await shot('query-calibration-invalid');
    expect((await state()).runs).toBe(0);
    await noAxeViolations();
    await interval.fill('1d');
    await interval.press('Enter');
    await settle();
    expect((await state()).query).toMatchObject({ interval: '1d' });
    expect((await state()).runs).toBe(1);
  });

  test('keyboard only: Tab to the metric picker, type, arrows and Enter; a narrow type select by keys', async () => {
    await open({ query: { ...TIMESERIES, version: 1 }, width: 520 });
    await page.keyboard.press('Tab'); // query type
    await page.keyboard.press('Tab'); // run
    await page.keyboard.press('Tab'); // metric
    await expect(picker('Metric').evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await page.keyboard.type('rlhf_reward', { delay: 40 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await settle();
    expect((await state()).query?.metric).toMatch(/rlhf_reward/);
    // Browsing the type select with arrows does not switch until Enter.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(100);
    expect((await state()).query?.type).toBe('timeseries');
    await page.keyboard.press('Escape');
    await shot('query-keyboard-520');
  });

  describe.each([375, 520] as const)('%s px wide', (width) => {
    test.each(['timeseries', 'health', 'drift'])('%s fits: nothing overflows; the type is a select', async (type) => {
      const queries: Record<string, Query> = {
        timeseries: TIMESERIES,
        health: { refId: 'A', type: 'health', run: 'ppo-llama3-8b' },
        drift: { refId: 'A', type: 'drift', feature: 'category', reference: 'training', current: 'production' },
      };
      await open({ query: queries[type], width });
      await expect(picker('Query type').isVisible()).resolves.toBe(true);
      const overflow = await page.evaluate(() => {
        const root = document.getElementById('root')!;
        const limit = root.getBoundingClientRect().right + 1;
        return [...root.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > limit && el.getBoundingClientRect().width > 0)
          .map((el) => `${el.tagName}.${el.className}`.slice(0, 80));
      });
      expect(overflow).toEqual([]);
      await shot(`query-${type}-${width}`);
    });
  });

  describe.each(['light', 'dark'] as const)('%s theme', (theme) => {
    const QUERIES: Record<string, Query> = {
      timeseries: TIMESERIES,
      calibration: {
        refId: 'A',
        type: 'calibration',
        model: 'reward-model',
        bins: 10,
        interval: '6h',
        temperature: true,
      },
      drift: { refId: 'A', type: 'drift', feature: 'category', reference: 'training', current: 'production', bins: 20 },
      agreement: { refId: 'A', type: 'agreement', dataset: 'prefs-helpfulness', level: 'ordinal' },
      events: { refId: 'A', type: 'events', tags: ['training', 'incident'], phase: 'training', limit: 50 },
      catalog: { refId: 'A', type: 'catalog', of: 'metrics', run: 'ppo-llama3-8b' },
      // The runs table (detail) switch of runs: the Overview's "Runs" table query.
      'catalog-runs': { refId: 'A', type: 'catalog', of: 'runs', detail: true },
      status: { refId: 'A', type: 'status' },
      health: {
        refId: 'A',
        type: 'health',
        run: 'ppo-llama3-8b',
        metrics: ['reward', 'kl'],
        smoothing: 0.6,
        kl_budget: 0.5,
      },
    };
    test.each(Object.keys(QUERIES))('query editor: %s, no axe violation', async (type) => {
      await open({ query: QUERIES[type], theme });
      await shot(`query-${type}-${theme}`);
      await noAxeViolations();
    });

    test('the metric of another run gets a hint at the field', async () => {
      await open({ query: { refId: 'A', type: 'timeseries', run: 'serve-prod', metric: 'objective/kl' }, theme });
      await expect(page.getByText(/objective\/kl is not in the metrics of serve-prod/).isVisible()).resolves.toBe(true);
      await shot(`query-timeseries-absent-metric-${theme}`);
    });

    test('config editor: Connection and Authentication sections, no axe violation', async () => {
      await open({ kind: 'config', theme });
      await expect(page.getByRole('heading', { name: 'Connection' }).isVisible()).resolves.toBe(true);
      await expect(page.getByRole('heading', { name: 'Authentication' }).isVisible()).resolves.toBe(true);
      await shot(`config-${theme}`);
      await noAxeViolations();
    });

    test('variable editor: capitalised kinds, the "all runs" placeholder, no axe violation', async () => {
      await open({ kind: 'variable', query: { refId: 'v', type: 'catalog', of: 'metrics' }, theme });
      await expect(page.getByRole('radio', { name: 'Metrics' }).isChecked()).resolves.toBe(true);
      await expect(picker('Run').getAttribute('placeholder')).resolves.toBe('* (all runs)');
      await shot(`variable-${theme}`);
      await noAxeViolations();
    });

    test('annotation editor: events only (tags with suggestions, phase, limit), no axe violation', async () => {
      await open({ kind: 'annotation', query: { refId: 'Anno', type: 'events', tags: ['incident'] }, theme });
      await expect(page.getByRole('radio', { name: 'Calibration' }).count()).resolves.toBe(0);
      await picker('Tags').click();
      await expect(
        page
          .getByRole('option', { name: /checkpoint/ })
          .first()
          .isVisible()
      ).resolves.toBe(true);
      await page.keyboard.press('Escape');
      await shot(`annotation-${theme}`);
      await noAxeViolations();
    });
  });

  describe('service down, wrong key, no URL', () => {
    test.each([
      ['down', /unreachable/i],
      ['badkey', /rejected the API key/],
    ])('%s: the query editor says why the names are missing', async (ds, message) => {
      await open({ ds, query: TIMESERIES });
      await expect(page.getByText('Could not load names from the service').isVisible()).resolves.toBe(true);
      await expect(page.getByText(message).first().isVisible()).resolves.toBe(true);
      await shot(`query-${ds}`);
      await noAxeViolations();
    });

    test('down: the variable editor shows the catalog error', async () => {
      await open({ ds: 'down', kind: 'variable', query: { refId: 'v', type: 'catalog', of: 'metrics' } });
      await expect(
        page
          .getByText(/unreachable/i)
          .first()
          .isVisible()
      ).resolves.toBe(true);
      await shot('variable-down');
    });

    test.each([
      ['rlhf', /^OK: connected/],
      ['down', /^Unreachable/],
      ['badkey', /^Wrong API key/],
      ['nourl', /^Set the URL/],
    ])('%s: the connection test tells it apart', async (ds, message) => {
      await open({ ds, kind: 'config' });
      const result = (await page.evaluate(() => window.RLHFEditors.testDatasource())) as { message: string };
      expect(result.message).toMatch(message);
      if (ds === 'nourl') {
        await shot('config-nourl');
      }
    });
  });

  test('config editor: a key typed goes to secureJsonData only; the placeholder does not read like a value', async () => {
    await open({ kind: 'config', query: { refId: 'x', options: { secureJsonFields: {} } } });
    const key = page.getByLabel('API key');
    await expect(key.getAttribute('placeholder')).resolves.not.toMatch(/RLHF_API_KEY/);
    await key.fill('s3cret');
    const s = await state();
    expect(s.options.secureJsonData).toEqual({ apiKey: 's3cret' });
    expect(JSON.stringify(s.options.jsonData)).not.toContain('s3cret');
  });
});
