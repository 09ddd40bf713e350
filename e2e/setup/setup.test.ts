// The app's setup page and home page, from the BUILT plugin (dist/) in headless Chromium, against a stand-in for
// Grafana's HTTP API (grafanaApi.ts) whose data-source proxy reaches the real metrics service. Asserts the exact
// requests each button sends, that the API key appears only in the request that stores it, and the message of
// each failure (wrong URL, wrong key, no Prometheus, provisioned data source). Screenshots of every state, light
// and dark, in test-results/setup/. Needs `npm run build` first and /usr/bin/chromium.
import fs from 'fs';
import net from 'net';
import path from 'path';
import yaml from 'js-yaml';
import type { Page } from 'playwright-core';
import { startService, type Service } from '../../server/src/service';
import { assertBuilt, CHROMIUM, DIST, launchBrowser, ROOT, type Browser } from '../dashboards/stack';
import { axeViolations, formatViolations } from '../support/axe';
import { evaluateImport } from './dashboardImport';
import { startGrafanaStandIn, type StandIn, type StandInOptions } from './grafanaApi';
import { buildSetupHost } from './host/build';

const SHOTS = path.join(ROOT, 'test-results/setup');
const THEMES = ['light', 'dark'] as const;
const APP_ID = 'humain-rlhfmonitor-app';
const API_KEY = `setup-e2e-${Math.random().toString(36).slice(2)}`;
const PROMETHEUS = { uid: 'prom-main', name: 'Prometheus (team)', type: 'prometheus', url: 'http://prometheus:9090' };
const CONTACT_POINTS = [{ uid: 'cp-oncall', name: 'oncall-webhook', type: 'webhook' }];
const POLICIES = {
  receiver: 'grafana-default-email',
  group_by: ['grafana_folder', 'alertname'],
  routes: [{ receiver: 'grafana-default-email', object_matchers: [['team', '=', 'infra']] }],
};
const RULES = (yaml.load(fs.readFileSync(path.join(ROOT, 'provisioning/alerting/rules.yaml'), 'utf8')) as RulesFile)
  .groups[0];
const chromiumMissing = !fs.existsSync(CHROMIUM);
const inCI = process.env.CI === 'true';

interface RulesFile {
  groups: Array<{ name: string; folder: string; interval: string; rules: Array<Record<string, unknown>> }>;
}

/** A port where nothing listens: the "wrong URL" case. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

if (chromiumMissing && inCI) {
  test('Chromium is installed for the setup suite', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium)`);
  });
}

(chromiumMissing ? describe.skip : describe)('setup page and home page (built plugin, stand-in Grafana API)', () => {
  let service: Service;
  let hostDir: string;
  let browser: Browser;
  const standIns: StandIn[] = [];

  beforeAll(async () => {
    assertBuilt();
    fs.mkdirSync(SHOTS, { recursive: true });
    [hostDir, service] = await Promise.all([
      buildSetupHost(),
      startService({ demo: false, port: 0, db: ':memory:', apiKey: API_KEY, logger: false }),
    ]);
    browser = await launchBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(standIns.map((s) => s.close()));
    await service?.close();
  });

  async function grafana(o: Partial<StandInOptions> = {}): Promise<StandIn> {
    const s = await startGrafanaStandIn({ distDir: DIST, hostDir, ...o });
    standIns.push(s);
    return s;
  }

  interface Opened {
    page: Page;
    errors: string[];
  }

  async function open(
    s: StandIn,
    which: 'setup' | 'home',
    theme: 'light' | 'dark' = 'light',
    role = 'Admin'
  ): Promise<Opened> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const url = which === 'setup' ? `/plugins/${APP_ID}?page=setup&` : `/a/${APP_ID}?`;
    await page.goto(`${s.url}${url}theme=${theme}&role=${role}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(
      () => document.documentElement.dataset.ready || document.documentElement.dataset.bootError,
      undefined,
      {
        timeout: 20_000,
      }
    );
    const boot = await page.evaluate(() => document.documentElement.dataset.bootError);
    if (boot) {
      throw new Error(boot);
    }
    const ready = which === 'setup' ? '[data-testid="setup-step-rules"]' : '[data-testid="home-rules"]';
    await page.waitForSelector(ready, { timeout: 20_000 });
    return { page, errors };
  }

  const phase = (page: Page, step: string) => page.getAttribute(`[data-testid="setup-step-${step}"]`, 'data-phase');
  const status = (page: Page, step: string) => page.innerText(`[data-testid="setup-status-${step}"]`);

  /** Waits until the step has left "busy" (and any other phase in `not`). */
  async function settled(page: Page, step: string, not: string[] = []) {
    await page.waitForFunction(
      ({ step, not }) => {
        const p = document.querySelector(`[data-testid="setup-step-${step}"]`)?.getAttribute('data-phase');
        return p !== undefined && p !== null && p !== 'busy' && !not.includes(p);
      },
      { step, not },
      { timeout: 20_000 }
    );
    return phase(page, step);
  }

  async function shot(page: Page, name: string) {
    await page.waitForTimeout(150);
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function checkAxe(page: Page) {
    // Off any button: a hovered one has Grafana's hover colours, not its resting ones.
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.waitForTimeout(400); // Grafana's colour transitions
    const v = await axeViolations(page, '#root');
    expect(formatViolations(v)).toBe('');
  }

  async function connect(page: Page, url: string, key: string) {
    await page.fill('#setup-url', url);
    if (await page.isEnabled('#setup-api-key')) {
      await page.fill('#setup-api-key', key);
    }
    await page.getByRole('button', { name: /Create data source and test|Save and test/ }).click();
    return settled(page, 'connection', ['todo']);
  }

  /** The requests whose URL, headers or body hold the key, and any response that holds it. */
  const withKey = (s: StandIn) => [
    ...s.log
      .filter((r) => `${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`.includes(API_KEY))
      .map((r) => `${r.method} ${r.url}`),
    ...s.log.filter((r) => r.response.includes(API_KEY)).map((r) => `response of ${r.method} ${r.url}`),
  ];

  test('from a fresh Grafana to done: exact requests, key only where it is stored, rules as provisioned', async () => {
    const s = await grafana({ datasources: [PROMETHEUS], contactPoints: CONTACT_POINTS, policies: POLICIES });
    const before: Record<string, string> = {};
    for (const theme of THEMES) {
      const { page } = await open(s, 'setup', theme);
      expect(await phase(page, 'connection')).toBe('todo');
      expect(await phase(page, 'dashboards')).toBe('blocked');
      await checkAxe(page);
      await shot(page, `setup-1-fresh-${theme}`);
      before[theme] = await page.innerText('#root');
      await page.close();
    }
    expect(before.light).toContain('Needs a working connection (step 1)');

    const { page, errors } = await open(s, 'setup');
    let mark = s.log.length;
    expect(await connect(page, service.url, API_KEY)).toBe('done');
    expect(await status(page, 'connection')).toMatch(
      /^OK: connected to the RLHF metrics service .* API key accepted; 0 runs\./
    );

    // The data source is created with the key in secureJsonData, in exactly one request.
    const writes = s
      .calls('/api/datasources', mark)
      .filter((r) => r.method !== 'GET' && !r.url.startsWith('/api/datasources/proxy/'));
    expect(writes.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /api/datasources']);
    expect(JSON.parse(writes[0].body)).toEqual({
      uid: 'rlhf',
      name: 'RLHF Monitor',
      type: 'humain-rlhf-datasource',
      access: 'proxy',
      jsonData: { url: service.url },
      secureJsonData: { apiKey: API_KEY },
    });
    expect(JSON.parse(writes[0].response).datasource.secureJsonFields).toEqual({ apiKey: true });
    // The test went through the data-source proxy, which added the key on the server side.
    expect(s.calls('/api/datasources/proxy/uid/rlhf/api/api/v1/health', mark).length).toBe(1);
    // The app remembers the data source (jsonData only; no secure settings sent).
    const settings = s.calls(`/api/plugins/${APP_ID}/settings`, mark).filter((r) => r.method === 'POST');
    expect(JSON.parse(settings[0].body)).toEqual({
      enabled: true,
      pinned: true,
      jsonData: { setup: { datasourceUid: 'rlhf' } },
    });

    // Step 2: the only Prometheus is preselected.
    expect(await phase(page, 'prometheus')).toBe('done');
    expect(await status(page, 'prometheus')).toContain('Prometheus (team)');

    // Step 3: folder "RLHF Pipeline" created, then the five dashboards imported with both inputs.
    expect(await settled(page, 'dashboards')).toBe('todo');
    mark = s.log.length;
    await page.getByRole('button', { name: 'Import dashboards' }).click();
    expect(await settled(page, 'dashboards', ['todo'])).toBe('done');
    const folderPost = s.calls('/api/folders', mark).filter((r) => r.method === 'POST');
    expect(folderPost.map((r) => JSON.parse(r.body))).toEqual([{ title: 'RLHF Pipeline' }]);
    const folderUid = JSON.parse(folderPost[0].response).uid as string;
    const imports = s.calls('/api/dashboards/import', mark);
    expect(imports.map((r) => JSON.parse(r.body))).toEqual(
      ['overview', 'data-collection', 'training', 'evaluation', 'deployment'].map((f) => ({
        pluginId: APP_ID,
        path: `dashboards/${f}.json`,
        overwrite: true,
        folderUid,
        inputs: [
          { name: 'DS_RLHF', type: 'datasource', pluginId: 'humain-rlhf-datasource', value: 'rlhf' },
          { name: 'DS_PROMETHEUS', type: 'datasource', pluginId: 'prometheus', value: 'prom-main' },
        ],
      }))
    );
    // What Grafana stored is the provisioned dashboard with the chosen Prometheus in place of uid "prometheus".
    const deployment = s.dashboards.get('rlhf-deployment')!.dashboard;
    const provisioned = JSON.parse(fs.readFileSync(path.join(ROOT, 'dashboards/deployment.json'), 'utf8'));
    const { revision: _r, version: _v, ...stored } = deployment;
    expect(stored).toEqual(
      JSON.parse(
        JSON.stringify({ ...provisioned, version: undefined }).replace(/"uid":"prometheus"/g, '"uid":"prom-main"')
      )
    );
    expect(JSON.stringify([...s.dashboards.values()])).not.toContain('${DS_');

    // Step 4: one PUT of the whole group, editable in the UI, equal to provisioning/alerting/rules.yaml.
    mark = s.log.length;
    await page.getByRole('button', { name: 'Create alert rules' }).click();
    expect(await settled(page, 'rules', ['todo'])).toBe('done');
    const puts = s.calls('/api/v1/provisioning/', mark).filter((r) => r.method !== 'GET');
    expect(puts.map((r) => `${r.method} ${r.url}`)).toEqual([
      `PUT /api/v1/provisioning/folder/${folderUid}/rule-groups/rlhf-pipeline-health`,
    ]);
    expect(puts[0].headers['x-disable-provenance']).toBe('true');
    const expected = RULES.rules.map((r) => ({
      ...JSON.parse(
        JSON.stringify(r)
          .replace(/"prometheus","uid":"prometheus"/g, '"prometheus","uid":"prom-main"')
          .replace(/"datasourceUid":"prometheus"/g, '"datasourceUid":"prom-main"')
      ),
      folderUID: folderUid,
      ruleGroup: 'rlhf-pipeline-health',
    }));
    expect(JSON.parse(puts[0].body)).toEqual({
      title: 'rlhf-pipeline-health',
      interval: 60,
      folderUid,
      rules: expected,
    });
    expect([...s.rules.values()].map((r) => r.provenance)).toEqual(RULES.rules.map(() => ''));
    expect(s.groups.get(`${folderUid}/rlhf-pipeline-health`)).toEqual({ interval: 60 });

    // Nothing touched the notification policies. Then, asked to, one child route is added and nothing else.
    expect(s.log.filter((r) => r.url.startsWith('/api/v1/provisioning/policies'))).toEqual([]);
    await page.getByText('Also send these alerts to a contact point').click();
    await page.getByRole('button', { name: 'Add route' }).click();
    await page.getByText(/now go to oncall-webhook/).waitFor();
    const policyPut = s.calls('/api/v1/provisioning/policies').filter((r) => r.method === 'PUT');
    expect(policyPut.length).toBe(1);
    expect(policyPut[0].headers['x-disable-provenance']).toBe('true');
    expect(JSON.parse(policyPut[0].body)).toEqual({
      ...POLICIES,
      routes: [
        { receiver: 'oncall-webhook', object_matchers: [['component', '=', 'rlhf-monitor']] },
        ...POLICIES.routes,
      ],
    });
    // Asked again: already there, no second write.
    await page.getByRole('button', { name: 'Add route' }).click();
    await page.getByText(/already there; nothing changed/).waitFor();
    expect(s.calls('/api/v1/provisioning/policies').filter((r) => r.method === 'PUT').length).toBe(1);

    // The key: only in the request that stored it; never in a response, a URL, a header or the page.
    expect(withKey(s)).toEqual(['POST /api/datasources']);
    expect(await page.content()).not.toContain(API_KEY);
    expect(errors).toEqual([]);
    await page.close();

    for (const theme of THEMES) {
      const { page: done } = await open(s, 'setup', theme);
      for (const step of ['connection', 'prometheus', 'dashboards', 'rules']) {
        expect([step, await settled(done, step)]).toEqual([step, 'done']);
      }
      await checkAxe(done);
      await shot(done, `setup-2-done-${theme}`);
      await done.close();
      const { page: home } = await open(s, 'home', theme);
      await home.waitForSelector('[data-testid="home-datasource"][data-ok="true"]');
      expect(await home.getAttribute('[data-testid="home-dashboards"]', 'data-ok')).toBe('true');
      expect(await home.getAttribute('[data-testid="home-rules"]', 'data-ok')).toBe('true');
      expect(await home.locator('a[href^="/d/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
        '/d/rlhf-overview',
        '/d/rlhf-data',
        '/d/rlhf-training',
        '/d/rlhf-evaluation',
        '/d/rlhf-deployment',
      ]);
      await checkAxe(home);
      await shot(home, `home-3-done-${theme}`);
      await home.close();
    }
    // The whole setup, re-run, only updates: no second data source, no second folder.
    expect([...s.datasources.keys()].sort()).toEqual(['prom-main', 'rlhf']);
    expect(s.folders.map((f) => f.title)).toEqual(['RLHF Pipeline']);
  }, 180_000);

  test('the key is sent once more only when the admin replaces it; an unchanged key is not sent', async () => {
    const s = await grafana({ datasources: [PROMETHEUS] });
    const { page } = await open(s, 'setup');
    expect(await connect(page, service.url, API_KEY)).toBe('done');
    await page.close();
    const again = await open(s, 'setup');
    expect(await settled(again.page, 'connection')).toBe('done');
    expect(await again.page.isDisabled('#setup-api-key')).toBe(true); // "configured"
    const mark = s.log.length;
    await again.page.getByRole('button', { name: 'Save and test' }).click();
    expect(await settled(again.page, 'connection', ['todo'])).toBe('done');
    const put = s.calls('/api/datasources/uid/rlhf', mark).filter((r) => r.method === 'PUT');
    expect(put.length).toBe(1);
    expect(JSON.parse(put[0].body)).toEqual({
      uid: 'rlhf',
      name: 'RLHF Monitor',
      type: 'humain-rlhf-datasource',
      access: 'proxy',
      jsonData: { url: service.url },
      version: 1,
    });
    expect(s.datasources.get('rlhf')!.secureJsonData).toEqual({ apiKey: API_KEY });
    expect(withKey(s)).toEqual(['POST /api/datasources']);
    await again.page.close();
  }, 60_000);

  describe('each failure says what failed and what to do', () => {
    test.each(THEMES)('wrong URL (nothing listens there), %s', async (theme) => {
      const s = await grafana({ datasources: [PROMETHEUS] });
      const { page } = await open(s, 'setup', theme);
      const port = await closedPort();
      expect(await connect(page, `http://127.0.0.1:${port}`, API_KEY)).toBe('failed');
      const text = await status(page, 'connection');
      expect(text).toContain(
        `Unreachable: Grafana cannot connect to the RLHF metrics service at http://127.0.0.1:${port}`
      );
      expect(text).toContain('Check the URL. Grafana’s server connects to it, not your browser');
      expect(await phase(page, 'dashboards')).toBe('blocked');
      expect(await page.getByRole('button', { name: 'Import dashboards' }).count()).toBe(0);
      await checkAxe(page);
      await shot(page, `setup-fail-url-${theme}`);
      await page.close();
    });

    test.each(THEMES)('wrong API key (the service answers 401, Grafana turns it into 400), %s', async (theme) => {
      const s = await grafana({ datasources: [PROMETHEUS] });
      const { page } = await open(s, 'setup', theme);
      expect(await connect(page, service.url, 'not-the-key')).toBe('failed');
      const text = await status(page, 'connection');
      expect(text).toContain('Wrong API key');
      expect(text).toContain('Enter the RLHF_API_KEY the service was started with');
      expect(
        s
          .calls('/api/datasources/proxy/')
          .some((r) => r.status === 400 && r.response === 'Authentication to data source failed')
      ).toBe(true);
      await shot(page, `setup-fail-401-${theme}`);
      await page.close();
    });

    test.each(THEMES)('no Prometheus data source, %s', async (theme) => {
      const s = await grafana();
      const { page } = await open(s, 'setup', theme);
      expect(await connect(page, service.url, API_KEY)).toBe('done');
      expect(await phase(page, 'prometheus')).toBe('failed');
      expect(await status(page, 'prometheus')).toContain('No Prometheus data source in this Grafana.');
      expect(await status(page, 'prometheus')).toContain(
        'Add it under Connections → Data sources, then press Look again.'
      );
      expect(await phase(page, 'dashboards')).toBe('blocked');
      expect(await phase(page, 'rules')).toBe('blocked');
      expect(await page.getByRole('button', { name: 'Create alert rules' }).count()).toBe(0);
      await checkAxe(page);
      await shot(page, `setup-fail-no-prometheus-${theme}`);
      // Added meanwhile: "Look again" finds it without a page reload.
      s.datasources.set(PROMETHEUS.uid, {
        ...PROMETHEUS,
        id: 99,
        orgId: 1,
        access: 'proxy',
        isDefault: false,
        readOnly: false,
        jsonData: {},
        secureJsonData: {},
        version: 1,
      });
      await page.getByRole('button', { name: 'Look again' }).click();
      await page.waitForFunction(
        () => document.querySelector('[data-testid="setup-step-prometheus"]')?.getAttribute('data-phase') === 'done'
      );
      await page.close();
    });

    test('a provisioned (read-only) data source: Grafana refuses, the page says where to change it', async () => {
      const s = await grafana({
        datasources: [
          PROMETHEUS,
          {
            uid: 'rlhf',
            name: 'RLHF Monitor',
            type: 'humain-rlhf-datasource',
            readOnly: true,
            jsonData: { url: service.url },
            secureJsonData: { apiKey: API_KEY },
          },
        ],
      });
      const { page } = await open(s, 'setup');
      expect(await settled(page, 'connection')).toBe('done'); // tested on load
      await page.fill('#setup-url', 'http://elsewhere:8400');
      await page.getByRole('button', { name: 'Save and test' }).click();
      expect(await settled(page, 'connection', ['done'])).toBe('failed');
      const text = await status(page, 'connection');
      expect(text).toContain('Saving the data source failed: Cannot update read-only data source');
      expect(text).toContain('is provisioned from a file');
      await shot(page, 'setup-fail-readonly-light');
      await page.close();
    });
  });

  test('a provisioned app: the page says Grafana restores apps.yaml at start and gives it with the settings now', async () => {
    const s = await grafana({ datasources: [PROMETHEUS], pluginEnabled: true });
    const shipped = yaml.load(fs.readFileSync(path.join(ROOT, 'provisioning/plugins/apps.yaml'), 'utf8')) as {
      apps: Array<{ jsonData: Record<string, unknown> }>;
    };
    s.plugin.jsonData = { ...shipped.apps[0].jsonData, playgroundEnabled: true };
    for (const theme of THEMES) {
      const { page, errors } = await open(s, 'setup', theme);
      await page.getByRole('button', { name: 'Show the file with the current settings' }).click();
      const file = yaml.load(await page.getByTestId('provisioned-apps-yaml').innerText());
      expect(file).toEqual({ ...shipped, apps: [{ ...shipped.apps[0], jsonData: s.plugin.jsonData }] });
      await checkAxe(page);
      await shot(page, `setup-provisioned-${theme}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  test('a newer dashboard version in the plugin shows as an update, and Update re-imports it', async () => {
    const s = await grafana({ datasources: [PROMETHEUS] });
    const { page } = await open(s, 'setup');
    await connect(page, service.url, API_KEY);
    await settled(page, 'dashboards');
    await page.getByRole('button', { name: 'Import dashboards' }).click();
    expect(await settled(page, 'dashboards', ['todo'])).toBe('done');
    await page.close();
    // As if an older plugin version had imported the training dashboard.
    const training = s.dashboards.get('rlhf-training')!;
    const current = training.dashboard.revision;
    training.dashboard = { ...training.dashboard, revision: 1 };
    const again = await open(s, 'setup');
    expect(await settled(again.page, 'connection')).toBe('done'); // the dashboards step waits for it
    expect(await settled(again.page, 'dashboards')).toBe('todo');
    expect(await status(again.page, 'dashboards')).toContain('1 of the dashboards have a newer version');
    expect(await again.page.innerText('[data-testid="setup-dashboard-list"]')).toContain(
      'RLHF · 2 Training installed, newer version available'
    );
    await again.page.getByRole('button', { name: 'Update dashboards' }).click();
    expect(await settled(again.page, 'dashboards', ['todo'])).toBe('done');
    expect(s.dashboards.get('rlhf-training')!.dashboard.revision).toBe(current);
    expect(s.dashboards.get('rlhf-training')!.version).toBe(2);
    await again.page.close();
  }, 60_000);

  describe('home page', () => {
    test.each(THEMES)('nothing set up: says what is missing, no dashboard links, %s', async (theme) => {
      const s = await grafana({ datasources: [PROMETHEUS] });
      const { page, errors } = await open(s, 'home', theme);
      expect(await page.getAttribute('[data-testid="home-datasource"]', 'data-ok')).toBe('false');
      expect(await page.innerText('[data-testid="home-datasource"]')).toContain(
        'There is no RLHF Monitor data source yet.'
      );
      expect(await page.innerText('[data-testid="home-datasource"]')).toContain(
        'Next: connect the metrics service (URL and API key) on the setup page.'
      );
      expect(await page.innerText('[data-testid="home-dashboards"]')).toContain('0 of 5 dashboards are installed.');
      expect(await page.innerText('[data-testid="home-rules"]')).toContain(
        `0 of ${RULES.rules.length} alert rules exist.`
      );
      expect(await page.locator('a[href^="/d/"]').count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Open the setup page' }).getAttribute('href')).toBe(
        `/plugins/${APP_ID}?page=setup`
      );
      await checkAxe(page);
      await shot(page, `home-1-empty-${theme}`);
      expect(errors).toEqual([]);
      await page.close();
    });

    test.each(THEMES)(
      'data source answers, dashboards not imported; a viewer is told to ask an admin, %s',
      async (theme) => {
        const s = await grafana({ datasources: [PROMETHEUS] });
        const setup = await open(s, 'setup');
        await connect(setup.page, service.url, API_KEY);
        await setup.page.close();
        const { page } = await open(s, 'home', theme);
        await page.waitForSelector('[data-testid="home-datasource"][data-ok="true"]');
        expect(await page.innerText('[data-testid="home-datasource"]')).toContain('RLHF Monitor: OK: connected');
        expect(await page.innerText('[data-testid="home-dashboards"]')).toContain(
          'Next: import the dashboards on the setup page.'
        );
        await checkAxe(page);
        await shot(page, `home-2-datasource-only-${theme}`);
        await page.close();

        s.role = 'Viewer';
        const viewer = await open(s, 'home', theme, 'Viewer');
        await viewer.page.waitForSelector('[data-testid="home-datasource"][data-ok="true"]');
        expect(await viewer.page.innerText('[data-testid="home-rules"]')).toContain(
          'Only an admin can see whether the alert rules are installed.'
        );
        expect(await viewer.page.innerText('[data-testid="home-dashboards"]')).toContain(
          'Ask a Grafana admin to import the dashboards'
        );
        expect(await viewer.page.getByRole('link', { name: 'Open the setup page' }).count()).toBe(0);
        await checkAxe(viewer.page);
        await shot(viewer.page, `home-2-viewer-${theme}`);
        await viewer.page.close();
      }
    );

    test.each(THEMES)(
      'keyboard: Tab reaches every link and button in reading order, each with a visible focus ring, %s',
      async (theme) => {
        const s = await grafana({ datasources: [PROMETHEUS] });
        // Two of the five dashboards there: their links, "Not installed" entries, the setup button and text link.
        for (const uid of ['rlhf-overview', 'rlhf-training']) {
          s.dashboards.set(uid, { dashboard: { uid, title: uid }, folderUid: 'rlhf', version: 1 });
        }
        const { page, errors } = await open(s, 'home', theme);
        const inRoot = await page
          .locator('#root a[href], #root button, #root [tabindex]:not([tabindex="-1"])')
          .evaluateAll((els) => els.map((e) => `${e.tagName} ${e.getAttribute('href') ?? e.textContent?.trim()}`));
        expect(inRoot).toEqual([
          `A /plugins/${APP_ID}?page=setup`,
          'A /d/rlhf-overview',
          'A /d/rlhf-training',
          `A /plugins/${APP_ID}?page=setup`,
        ]);
        await page.mouse.move(0, 0);
        const reached: Array<{ key: string; ring: boolean }> = [];
        for (let i = 0; i < inRoot.length + 5 && reached.length < inRoot.length; i++) {
          await page.keyboard.press('Tab');
          await page.waitForTimeout(50); // Grafana's focus transitions
          const at = await page.evaluate(() => {
            const el = document.activeElement as HTMLElement | null;
            if (!el || !document.getElementById('root')!.contains(el) || el === document.body) {
              return null;
            }
            const cs = getComputedStyle(el);
            const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
            const ring = (outline && cs.outlineColor !== 'transparent') || cs.boxShadow !== 'none';
            return { key: `${el.tagName} ${el.getAttribute('href') ?? el.textContent?.trim()}`, ring };
          });
          if (at) {
            reached.push(at);
          }
        }
        expect(reached.map((r) => r.key)).toEqual(inRoot);
        expect(reached.filter((r) => !r.ring)).toEqual([]);
        // Focus on the first dashboard link for the screenshot: the ring a keyboard user sees.
        await page.locator('a[href="/d/rlhf-overview"]').focus();
        await shot(page, `home-4-keyboard-${theme}`);
        await checkAxe(page);
        expect(errors).toEqual([]);
        await page.close();
      }
    );
  });
});

test('the import inputs turn each shipped dashboard back into its provisioned copy', () => {
  for (const f of ['overview', 'data-collection', 'training', 'evaluation', 'deployment']) {
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/dashboards', `${f}.json`), 'utf8'));
    const provisioned = JSON.parse(fs.readFileSync(path.join(ROOT, 'dashboards', `${f}.json`), 'utf8'));
    const { revision, ...imported } = evaluateImport(shipped, [
      { name: 'DS_RLHF', type: 'datasource', value: 'rlhf' },
      { name: 'DS_PROMETHEUS', type: 'datasource', value: 'prometheus' },
    ]);
    expect(imported).toEqual(provisioned);
    expect(Number.isInteger(revision) && (revision as number) > 0).toBe(true);
    expect(() => evaluateImport(shipped, [])).toThrow('Dashboard input variable: DS_RLHF missing from import command');
  }
});

test('the app includes exactly the generated dashboards, and the build ships them', () => {
  const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/plugin.json'), 'utf8')) as {
    includes: Array<{ type: string; name: string; path: string }>;
  };
  const included = app.includes.filter((i) => i.type === 'dashboard');
  const generated = fs.readdirSync(path.join(ROOT, 'src/dashboards')).filter((f) => f.endsWith('.json'));
  expect(included.map((i) => i.path).sort()).toEqual(generated.map((f) => `dashboards/${f}`).sort());
  for (const i of included) {
    const shipped = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', i.path), 'utf8'));
    expect(i.name).toBe(shipped.title);
    if (fs.existsSync(path.join(DIST, 'plugin.json'))) {
      expect(JSON.parse(fs.readFileSync(path.join(DIST, i.path), 'utf8'))).toEqual(shipped);
    }
  }
});
