// The Playground page of the BUILT app (dist/module.js) in headless Chromium: the app host (e2e/playground/host)
// renders the app's root page as Grafana does, the harness server plays Grafana's server (app settings, the
// app plugin proxy that adds each provider's key from secureJsonData, the RLHF data source's proxy), a local
// OpenAI-compatible server (llmServer.ts) answers, and the real metrics service stores the judgements.
// Needs `npm run build` first and /usr/bin/chromium.
import fs from 'fs';
import path from 'path';
import type { Page } from 'playwright-core';
import { startService, type Service } from '../../server/src/service';
import { axeViolations, formatViolations } from '../support/axe';
import { startHarness, type Harness } from '../dashboards/harnessServer';
import { readProvisionedDataSources } from '../dashboards/provisioning';
import { assertBuilt, CHROMIUM, DASHBOARDS, DIST, launchBrowser, ROOT, type Browser } from '../dashboards/stack';
import { appServer, type AppServer, type AppSettings } from './appServer';
import { buildAppHost } from './host/build';
import { echoAnswer, startLlmServer, type LlmServer } from './llmServer';

const SHOTS = path.join(ROOT, 'test-results/playground');
// Browser steps on a shared 2-core machine: allow each test a minute.
jest.setTimeout(60_000);
const chromiumMissing = !fs.existsSync(CHROMIUM);
const LLM_KEY = `sk-e2e-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
const SERVICE_KEY = `rlhf-e2e-${Math.random().toString(36).slice(2)}`;
const WRONG_KEY = 'sk-wrong-key-0000';
/** Typed into the configuration page by the admin: it may appear in that one request, nowhere else. */
const ADMIN_TYPED_KEY = `sk-typed-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
const ECHO_MODELS = ['echo-1', 'echo-2', 'slow', 'whole', 'busy', 'broken', 'hang', 'missing'];

function initialSettings(llmUrl: string): AppSettings {
  return {
    enabled: true,
    pinned: true,
    jsonData: {
      playgroundEnabled: true,
      llm1Url: llmUrl,
      llm2Url: llmUrl,
      llm3Url: llmUrl,
      playgroundProviders: [
        { slot: 1, name: 'Local echo', models: ECHO_MODELS },
        { slot: 2, name: 'Wrong key', models: ['echo-1'] },
        // no models configured: the page lists them from <base>/models through the proxy
        { slot: 3, name: 'Listed', models: [] },
      ],
    },
    secureJsonData: { llm1Key: LLM_KEY, llm2Key: WRONG_KEY, llm3Key: LLM_KEY },
  };
}

/** Everything the browser saw: requests (URL, headers, body), responses (headers, body), console, storage. */
interface Recorded {
  requests: string[];
  responses: Array<Promise<string>>;
  console: string[];
}

if (chromiumMissing && process.env.CI === 'true') {
  test('Chromium is installed for the Playground suite', () => {
    throw new Error(`${CHROMIUM} is missing: .ci/run must install it (apt-get install -y chromium)`);
  });
} else if (chromiumMissing) {
  console.warn(`SKIPPED e2e/playground: ${CHROMIUM} is missing (apt-get install -y chromium); in CI this fails.`);
}

(chromiumMissing ? describe.skip : describe)('Playground (built app, headless Chromium)', () => {
  let llm: LlmServer;
  let service: Service;
  let app: AppServer;
  let harness: Harness;
  let browser: Browser;
  const recorded: Recorded = { requests: [], responses: [], console: [] };
  const pages: Page[] = [];

  beforeAll(async () => {
    assertBuilt();
    fs.mkdirSync(SHOTS, { recursive: true });
    const [hostDir, llmServer, svc] = await Promise.all([
      buildAppHost(),
      startLlmServer([LLM_KEY, ADMIN_TYPED_KEY]),
      startService({ port: 0, db: ':memory:', apiKey: SERVICE_KEY, logger: false }),
    ]);
    llm = llmServer;
    service = svc;
    const datasources = readProvisionedDataSources(path.join(ROOT, 'provisioning/datasources'), {
      RLHF_API_KEY: SERVICE_KEY,
    });
    datasources.find((d) => d.uid === 'rlhf')!.jsonData.url = service.url;
    app = appServer({ distDir: DIST, hostDir, settings: initialSettings(llm.url), proxyTimeoutMs: 1500, datasources });
    harness = await startHarness({
      distDir: DIST,
      hostDir,
      dashboardsDir: DASHBOARDS,
      datasources,
      extend: app.extend,
    });
    browser = await launchBrowser();
    browser.context.on('request', (r) => {
      recorded.requests.push(`${r.method()} ${r.url()}\n${JSON.stringify(r.headers())}\n${r.postData() ?? ''}`);
    });
    // Bodies are read once a request has finished (a stopped stream never finishes: its chunks were in the page).
    browser.context.on('requestfinished', (req) => {
      recorded.responses.push(
        req
          .response()
          .then(
            async (r) =>
              `${req.url()}\n${JSON.stringify(r?.headers() ?? {})}\n${(await r?.body())?.toString('utf8') ?? ''}`
          )
          .catch(() => req.url())
      );
    });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await service?.close();
    await llm?.close();
  });

  async function open(
    o: { theme?: 'light' | 'dark'; login?: string; path?: string; query?: string; url?: string } = {}
  ) {
    const page = await browser.context.newPage();
    pages.push(page);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => recorded.console.push(`${m.type()}: ${m.text()}`));
    const q = new URLSearchParams({ theme: o.theme ?? 'light', login: o.login ?? 'alice' });
    await page.goto(`${harness.url}${o.url ?? `/a/${harness.appId}${o.path ?? '/playground'}`}?${q}${o.query ?? ''}`);
    await page.waitForFunction(
      () => document.documentElement.dataset.appReady === 'true' || document.documentElement.dataset.bootError
    );
    const bootError = await page.evaluate(() => document.documentElement.dataset.bootError);
    expect(bootError ?? '').toBe('');
    return { page, errors };
  }

  const modelSelect = (page: Page, side: number) => page.locator('select').nth(side);
  const answer = (page: Page, turn: number, side: number) => page.getByTestId(`answer-${turn}-${side}`);

  async function send(page: Page, text: string) {
    const box = page.getByLabel('Message');
    await box.fill(text);
    await box.press('Enter');
  }

  async function settled(page: Page, turn: number, side: number, status: string) {
    await page.waitForFunction(
      ([sel, st]) => document.querySelector(sel)?.getAttribute('data-status') === st,
      [`[data-testid="answer-${turn}-${side}"]`, status] as const,
      { timeout: 10_000 }
    );
    return answer(page, turn, side);
  }

  test('chat: streams the answer, keeps the conversation, sends system prompt and settings, key added by the proxy', async () => {
    const { page, errors } = await open();
    await page.getByTestId('playground').waitFor();
    await modelSelect(page, 0).selectOption('1|echo-1');
    await page.getByLabel('System prompt').fill('Be brief.');
    await page.getByLabel('Temperature').fill('0.3');
    await page.getByLabel('Max tokens').fill('64');
    // Record every text the answer shows while it streams.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const t = document.querySelector('[data-testid="answer-0-0"] p')?.textContent;
        if (t && seen[seen.length - 1] !== t) {
          seen.push(t);
        }
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await send(page, 'Hello there, model');
    const a0 = await settled(page, 0, 0, 'done');
    const first = echoAnswer('echo-1', [{ role: 'user', content: 'Hello there, model' }]);
    await expect(a0.locator('p').textContent()).resolves.toBe(first);
    await expect(a0.textContent()).resolves.toContain('streamed');
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    // word by word: many growing prefixes of the final answer before it was complete
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.every((t) => first.startsWith(t))).toBe(true);

    await send(page, 'And once more');
    const a1 = await settled(page, 1, 0, 'done');
    await expect(a1.locator('p').textContent()).resolves.toBe('[echo-1] turn 2: And once more');
    const last = llm.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!;
    expect(last.body).toMatchObject({
      model: 'echo-1',
      temperature: 0.3,
      max_tokens: 64,
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there, model' },
        { role: 'assistant', content: first },
        { role: 'user', content: 'And once more' },
      ],
    });
    // The key was added on the server side by the app's route, from secureJsonData.
    expect(last.authorization).toBe(`Bearer ${LLM_KEY}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('models are listed from <base>/models through the proxy when none are configured', async () => {
    const { page } = await open();
    await page.getByTestId('playground').waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('select option')].some((o) => o.textContent === 'Listed · echo-2')
    );
    const listing = llm.requests.filter((r) => r.path === '/v1/models');
    expect(listing.length).toBeGreaterThan(0);
    expect(listing.every((r) => r.authorization === `Bearer ${LLM_KEY}`)).toBe(true);
    await page.close();
  });

  test('falls back to a whole answer when the endpoint does not stream, and sends stream:false when asked', async () => {
    const { page } = await open();
    await page.getByTestId('playground').waitFor();
    await modelSelect(page, 0).selectOption('1|whole');
    await send(page, 'No streaming here');
    const a = await settled(page, 0, 0, 'done');
    await expect(a.locator('p').textContent()).resolves.toBe('[whole] turn 1: No streaming here');
    await expect(a.textContent()).resolves.toContain('whole answer');

    await page.getByRole('button', { name: 'New conversation' }).click();
    await modelSelect(page, 0).selectOption('1|echo-2');
    await page.getByLabel('Stream tokens').uncheck();
    await send(page, 'Whole please');
    const b = await settled(page, 0, 0, 'done');
    await expect(b.locator('p').textContent()).resolves.toBe('[echo-2] turn 1: Whole please');
    expect(llm.requests.filter((r) => r.path === '/v1/chat/completions').at(-1)!.body.stream).toBe(false);
    await page.close();
  });

  test('stop ends a streaming answer, keeps what arrived, and the provider sees the request go away', async () => {
    const { page } = await open();
    await page.getByTestId('playground').waitFor();
    await modelSelect(page, 0).selectOption('1|slow');
    const abortedBefore = llm.aborted;
    await send(page, 'Tell me a long story');
    await page.waitForFunction(
      () => (document.querySelector('[data-testid="answer-0-0"] p')?.textContent ?? '').split(' ').length >= 5
    );
    await page.getByRole('button', { name: 'Stop' }).click();
    const a = await settled(page, 0, 0, 'stopped');
    const words = ((await a.locator('p').textContent()) ?? '').split(' ');
    expect(words.length).toBeGreaterThanOrEqual(5);
    expect(words.length).toBeLessThan(200);
    expect(words[0]).toBe('word0');
    await page.waitForFunction(() => true);
    for (let i = 0; i < 50 && llm.aborted === abortedBefore; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(llm.aborted).toBeGreaterThan(abortedBefore);
    // The page is usable again: Send is back and a new prompt works.
    await expect(page.getByRole('button', { name: 'Send' }).count()).resolves.toBe(1);
    await page.close();
  });

  test.each([
    ['1|busy', /rate-limiting requests \(429\)\. Try again in 7 s/],
    ['1|broken', /failed with 500; this is on the provider's side/],
    ['1|missing', /answered 404: the model or the endpoint does not exist/],
    ['1|hang', /did not answer in time \(504/],
    ['2|echo-1', /Wrong key refused the API key \(401\)\. An admin can set the key/],
  ])('%s: a clear message', async (model, message) => {
    const { page } = await open();
    await page.getByTestId('playground').waitFor();
    await modelSelect(page, 0).selectOption(model);
    await send(page, 'Hello?');
    const a = await settled(page, 0, 0, 'error');
    const text = (await a.getByRole('alert').textContent()) ?? '';
    expect(text).toMatch(message);
    // OpenAI's 401 text echoes a part of the key: it must not be shown.
    expect(text).not.toContain('Incorrect API key');
    await page.close();
  });

  async function compareAndVote(login: string, choice: 'A is better' | 'B is better' | 'Tie', reason = '') {
    const { page, errors } = await open({ login });
    await page.getByTestId('playground').waitFor();
    await page.getByRole('radio', { name: 'Compare' }).click();
    await modelSelect(page, 0).selectOption('1|echo-1');
    await modelSelect(page, 1).selectOption('1|echo-2');
    await send(page, 'Which model explains RLHF better?');
    await settled(page, 0, 0, 'done');
    await settled(page, 0, 1, 'done');
    if (reason) {
      await page.getByLabel(/Reason for your judgement of prompt 1/).fill(reason);
    }
    await page.getByRole('button', { name: choice }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    expect(errors).toEqual([]);
    return page;
  }

  async function query(targets: object[]) {
    const res = await fetch(`${harness.url}/api/datasources/proxy/uid/rlhf/api/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: Date.now() - 3600_000, to: Date.now() + 60_000, queries: targets }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as {
      results: Record<
        string,
        { frames: Array<{ schema: { name: string; fields: Array<{ name: string }> }; data: { values: unknown[][] } }> }
      >;
    };
  }

  function column(
    frames: Array<{ schema: { name: string; fields: Array<{ name: string }> }; data: { values: unknown[][] } }>,
    frame: string,
    field: string
  ) {
    const f = frames.find((x) => x.schema.name === frame)!;
    return f.data.values[f.schema.fields.findIndex((x) => x.name === field)];
  }

  test('compare: three people judge the same prompt; the votes are in the service and in the Data Collection queries', async () => {
    const alice = await compareAndVote('alice', 'A is better', 'A explains the KL penalty');
    // side by side: both answers, one per model
    await expect(answer(alice, 0, 0).locator('p').textContent()).resolves.toBe(
      '[echo-1] turn 1: Which model explains RLHF better?'
    );
    await expect(answer(alice, 0, 1).locator('p').textContent()).resolves.toBe(
      '[echo-2] turn 1: Which model explains RLHF better?'
    );
    // a thumb per answer, too
    await answer(alice, 0, 1).getByRole('button', { name: 'Bad' }).click();
    await alice.getByRole('status').filter({ hasText: 'thumbs down for B' }).waitFor();
    await expect(answer(alice, 0, 1).getByRole('button', { name: 'Bad' }).getAttribute('aria-pressed')).resolves.toBe(
      'true'
    );
    (await compareAndVote('bob', 'A is better')).close();
    (await compareAndVote('carol', 'B is better')).close();

    // The Data Collection dashboard's agreement target, with $dataset = playground, through the data source proxy.
    const dashboard = JSON.parse(fs.readFileSync(path.join(DASHBOARDS, 'data-collection.json'), 'utf8')) as {
      panels: Array<{ title?: string; targets?: Array<Record<string, unknown>> }>;
    };
    const balance = dashboard.panels.find((p) => p.title?.startsWith('Label balance'))!.targets![0];
    expect(balance.type).toBe('agreement');
    const { results } = await query([{ ...balance, datasource: undefined, dataset: 'playground' }]);
    const frames = results.A.frames;
    // one comparison item (same prompt, same models) rated by three people, plus alice's thumb on answer B
    expect(column(frames, 'summary', 'annotators')).toEqual([3]);
    expect(column(frames, 'summary', 'items')).toEqual([2]);
    // pairs on the compared item: alice-bob agree, alice-carol and bob-carol do not (the thumb has one rater)
    expect(column(frames, 'summary', 'percent_agreement')[0]).toBeCloseTo(1 / 3, 10);
    const labels = column(frames, 'labels', 'label');
    const counts = column(frames, 'labels', 'count');
    expect(Object.fromEntries(labels.map((l, i) => [l, counts[i]]))).toEqual({ A: 2, B: 1, down: 1 });
    const annotators = column(frames, 'annotators', 'annotator');
    expect([...annotators].sort()).toEqual(['alice', 'bob', 'carol']);

    // Win rate of A over time (Evaluation), the answer lengths, and the reason as an event.
    const more = await query([
      { refId: 'W', type: 'timeseries', run: 'playground', metric: 'playground/win_rate' },
      { refId: 'E', type: 'events', tags: ['playground'] },
    ]);
    const win = more.results.W.frames[0];
    expect(win.data.values[win.schema.fields.findIndex((f) => f.name === 'value')]).toEqual([1, 1, 0]);
    const events = more.results.E.frames[0];
    expect(JSON.stringify(events.data.values)).toContain('A explains the KL penalty');
    await alice.close();
  });

  test('hidden until an admin enables it; ?debug=chat on the home page opens it anyway', async () => {
    const enabled = app.settings.jsonData.playgroundEnabled;
    try {
      app.settings.jsonData = { ...app.settings.jsonData, playgroundEnabled: false };
      const home = await open({ path: '' });
      await expect(home.page.getByRole('link', { name: 'Playground' }).count()).resolves.toBe(0);
      await home.page.close();
      const direct = await open({ path: '/playground' });
      await direct.page.getByText('The Playground is not enabled').waitFor();
      await expect(direct.page.getByTestId('playground').count()).resolves.toBe(0);
      await direct.page.close();
      const debug = await open({ path: '', query: '&debug=chat' });
      await debug.page.getByTestId('playground').waitFor();
      await debug.page.close();

      app.settings.jsonData = { ...app.settings.jsonData, playgroundEnabled: true };
      const on = await open({ path: '' });
      await expect(on.page.getByRole('link', { name: 'Playground' }).getAttribute('href')).resolves.toBe(
        `/a/${harness.appId}/playground`
      );
      await on.page.close();
    } finally {
      app.settings.jsonData = { ...app.settings.jsonData, playgroundEnabled: enabled };
    }
  });

  test.each(['light', 'dark'] as const)(
    '%s theme: chat and compare pass axe (WCAG 2.1 AA); screenshots',
    async (theme) => {
      const { page } = await open({ theme, login: `shots-${theme}` });
      await page.getByTestId('playground').waitFor();
      await modelSelect(page, 0).selectOption('1|echo-1');
      await page.getByLabel('System prompt').fill('You are a helpful assistant.');
      await send(page, 'What is a reward model?');
      await settled(page, 0, 0, 'done');
      await modelSelect(page, 0).selectOption('1|busy');
      await send(page, 'And a second question');
      await settled(page, 1, 0, 'error');
      expect(formatViolations(await axeViolations(page))).toBe('');
      await page.screenshot({ path: path.join(SHOTS, `chat-${theme}.png`), fullPage: true });

      await page.getByRole('radio', { name: 'Compare' }).click();
      await modelSelect(page, 0).selectOption('1|echo-1');
      await modelSelect(page, 1).selectOption('1|echo-2');
      await send(page, 'Explain PPO in one sentence.');
      await settled(page, 0, 0, 'done');
      await settled(page, 0, 1, 'done');
      await page.getByRole('button', { name: 'A is better' }).click();
      await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
      expect(formatViolations(await axeViolations(page))).toBe('');
      await page.screenshot({ path: path.join(SHOTS, `compare-${theme}.png`), fullPage: true });
      await page.close();
    }
  );

  test('keyboard only: tab to the message box, Enter sends, the vote buttons take Space', async () => {
    const { page } = await open({ login: 'keyboard' });
    await page.getByTestId('playground').waitFor();
    await page.getByRole('radio', { name: 'Compare' }).click();
    await modelSelect(page, 1).selectOption('1|echo-2');
    await page.getByLabel('Message').focus();
    await page.keyboard.type('Typed only');
    await page.keyboard.press('Enter');
    await settled(page, 0, 1, 'done');
    await page.getByRole('button', { name: 'Tie' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: 'Saved: tie' }).waitFor();
    await page.close();
  });

  test('configuration page: an admin adds a provider; the key goes once to Grafana, models are listed through the proxy', async () => {
    const before = { ...app.settings.jsonData, setupServiceUrl: 'kept by the setup section' };
    app.settings.jsonData = before;
    const { page } = await open({ url: `/plugins/${harness.appId}` });
    await page.locator('#playground-name-1').waitFor();
    await expect(page.locator('#playground-name-1').inputValue()).resolves.toBe('Local echo');
    await page.getByRole('button', { name: 'Add provider' }).click();
    await page.locator('#playground-name-4').fill('Typed by admin');
    await page.locator('#playground-url-4').fill(`${llm.url}/`);
    await page.locator('#playground-key-4').fill(ADMIN_TYPED_KEY);
    await page.locator('#playground-models-4').fill('echo-1');
    await page.getByRole('button', { name: 'Save Playground settings' }).click();
    await page.getByText('Saved. Reload the app pages').waitFor();
    // Off the button just clicked: Grafana's hover colour (and its fade) is not what the page shows at rest.
    await page.mouse.move(0, 0);
    await page.locator('body').focus();
    await page.waitForTimeout(400);
    expect(formatViolations(await axeViolations(page, '[data-testid="playground-settings"]'))).toBe('');
    await page
      .locator('[data-testid="playground-settings"]')
      .screenshot({ path: path.join(SHOTS, 'settings-light.png') });
    const posted = app.settingsPosts.at(-1) as {
      jsonData: Record<string, unknown>;
      secureJsonData: Record<string, string>;
    };
    // only the new key is sent; the stored ones are not (and cannot be: the page never had them)
    expect(posted.secureJsonData).toEqual({ llm4Key: ADMIN_TYPED_KEY });
    expect(posted.jsonData).toMatchObject({
      setupServiceUrl: 'kept by the setup section',
      llm1Url: llm.url,
      llm4Url: llm.url,
      playgroundEnabled: true,
    });
    expect(posted.jsonData.playgroundProviders).toContainEqual({ slot: 4, name: 'Typed by admin', models: ['echo-1'] });
    // the stored key now works through the proxy route llm4
    await page.getByRole('button', { name: 'List models of provider 4' }).click();
    await page.getByText('7 models listed; save to keep them.').waitFor();
    await expect(page.locator('#playground-models-4').inputValue()).resolves.toBe(
      'echo-1, echo-2, slow, whole, busy, broken, hang'
    );
    expect(llm.requests.at(-1)).toMatchObject({ path: '/v1/models', authorization: `Bearer ${ADMIN_TYPED_KEY}` });
    await page.close();
  });

  // Last: every byte the browser sent or received in this suite, plus what the pages held at the end.
  test('the provider key and the service key are nowhere in the browser: traffic, pages, storage, console', async () => {
    const { page } = await open({ login: 'auditor' });
    await page.getByTestId('playground').waitFor();
    await modelSelect(page, 0).selectOption('3|echo-1');
    await send(page, 'Audit me');
    await settled(page, 0, 0, 'done');
    const content = await page.content();
    const storage = await page.evaluate(() =>
      JSON.stringify({ ...localStorage, ...sessionStorage, c: document.cookie })
    );
    const cookies = JSON.stringify(await browser.context.cookies());
    const responses = await Promise.all(
      recorded.responses.map((r) => Promise.race([r, new Promise<string>((ok) => setTimeout(() => ok(''), 3000))]))
    );
    const everything = [...recorded.requests, ...responses, ...recorded.console, content, storage, cookies].join('\n');
    // the recording is real: it holds the chat traffic and the settings the page read
    expect(everything).toContain('/api/plugin-proxy/');
    expect(everything).toContain('[echo-1] turn 1: Audit me');
    expect(everything).toContain('secureJsonFields');
    for (const secret of [LLM_KEY, SERVICE_KEY, WRONG_KEY]) {
      expect(everything.includes(secret)).toBe(false);
    }
    // The key the admin typed: in the one request that stored it, in nothing that came back.
    expect(recorded.requests.filter((r) => r.includes(ADMIN_TYPED_KEY)).map((r) => r.split('\n')[0])).toEqual([
      `POST ${harness.url}/api/plugins/${harness.appId}/settings`,
    ]);
    expect(responses.some((r) => r.includes(ADMIN_TYPED_KEY))).toBe(false);
    // ... while the upstreams did get them, from the proxies
    expect(llm.requests.some((r) => r.authorization === `Bearer ${LLM_KEY}`)).toBe(true);
    await page.close();
  });
});
