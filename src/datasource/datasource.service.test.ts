/** @jest-environment node */
// The data source's query path against the REAL metrics service on a temp SQLite file. Only Grafana's BackendSrv
// is replaced, by a forwarder that applies this plugin's plugin.json routes the way Grafana's data-source proxy does.
import './testing/nodeWindow';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dateTime,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type Field,
  type ScopedVars,
} from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { startService, type Service } from '../../server/src/service';
import { DataSource, ROUTE_PATH } from './datasource';
import pluginJson from './plugin.json';
import { grafanaProxyBackendSrv, proxyUrl, type PluginRoute } from './testing/grafanaProxy';
import { customVariable, SimpleTemplateSrv } from './testing/templateSrv';
import type { RlhfOptions, RlhfQuery } from './types';
import type { RlhfVariableSupport } from './variables';

const KEY = 'k';
const UID = 'rlhf-test';
const T0 = Date.parse('2026-11-20T00:00:00Z');
const MIN = 60_000;
const routes = pluginJson.routes as PluginRoute[];

let service: Service;
let dir: string;

async function ingest(records: unknown[]) {
  const res = await fetch(`${service.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify(records),
  });
  expect(res.status).toBe(200);
}

/** A data source as Grafana would construct it, with the browser's BackendSrv pointing at the emulated proxy. */
function dataSource(serviceUrl: string, secure: Record<string, string> = { apiKey: KEY }): DataSource {
  setBackendSrv(grafanaProxyBackendSrv(routes, { uid: UID, jsonData: { url: serviceUrl }, secureJsonData: secure }));
  const settings = {
    id: 1,
    uid: UID,
    type: 'humain-rlhf-datasource',
    name: 'RLHF Monitor',
    url: proxyUrl(UID),
    access: 'proxy',
    jsonData: { url: serviceUrl },
    readOnly: false,
    meta: { id: 'humain-rlhf-datasource' },
  } as unknown as DataSourceInstanceSettings<RlhfOptions>;
  return new DataSource(settings);
}

function request(
  targets: RlhfQuery[],
  opts: { from?: number; to?: number; maxDataPoints?: number; scopedVars?: ScopedVars } = {}
) {
  const from = dateTime(opts.from ?? T0);
  const to = dateTime(opts.to ?? T0 + 1000 * MIN);
  return {
    requestId: 'test',
    interval: '1m',
    intervalMs: MIN,
    range: { from, to, raw: { from, to } },
    scopedVars: opts.scopedVars ?? {},
    targets,
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
    maxDataPoints: opts.maxDataPoints,
  } as DataQueryRequest<RlhfQuery>;
}

const numbers = (f: Field | undefined) => Array.from((f?.values ?? []) as ArrayLike<number>);
const label = (frame: { fields: Field[] }, key: string) => frame.fields.find((f) => f.name === 'value')?.labels?.[key];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-ds-'));
  service = await startService({ port: 0, db: path.join(dir, 'rlhf.db'), apiKey: KEY });
  const metrics = [];
  for (let step = 0; step < 500; step++) {
    metrics.push({
      kind: 'metric',
      run: 'ppo-llama3-8b',
      name: 'objective/kl',
      value: step / 100,
      step,
      ts: T0 + step * MIN,
    });
  }
  for (let step = 0; step < 10; step++) {
    metrics.push({
      kind: 'metric',
      run: 'dpo-llama3-8b',
      name: 'loss',
      value: 1 - step / 20,
      step,
      ts: T0 + step * MIN,
    });
    metrics.push({
      kind: 'metric',
      run: 'ppo-llama3-8b',
      name: 'loss/value_avg',
      value: step,
      step,
      ts: T0 + step * MIN,
    });
  }
  await ingest(metrics);
  // Four predictions worked by hand: bins {0.2: acc 0.5, 0.9: acc 0.5} -> ECE = 0.5*0.3 + 0.5*0.4 = 0.35,
  // Brier = (0.01 + 0.81 + 0.04 + 0.64) / 4 = 0.375.
  await ingest(
    [
      [0.9, true],
      [0.9, false],
      [0.2, false],
      [0.2, true],
    ].map(([confidence, correct], i) => ({
      kind: 'prediction',
      model: 'reward-model',
      confidence,
      correct,
      ts: T0 + i * MIN,
    }))
  );
  await ingest([
    { kind: 'event', title: 'checkpoint 100', text: 'saved', tags: ['training', 'checkpoint'], ts: T0 + 100 * MIN },
    {
      kind: 'event',
      title: 'canary rollback',
      text: 'p99 over budget',
      tags: ['deployment', 'incident'],
      ts: T0 + 200 * MIN,
    },
  ]);
});

afterAll(async () => {
  await service?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => setTemplateSrv(new SimpleTemplateSrv()));

test('the plugin.json route is the one the data source addresses, with the key as a Bearer header', () => {
  expect(routes).toEqual([
    {
      path: ROUTE_PATH,
      url: '{{ .JsonData.url }}',
      headers: [{ name: 'Authorization', content: 'Bearer {{ .SecureJsonData.apiKey }}' }],
    },
  ]);
  expect(dataSource(service.url).baseUrl).toBe(`/api/datasources/proxy/uid/${UID}/api`);
});

test('timeseries: values, labels, time range and maxDataPoints pass through the proxy to the service', async () => {
  const ds = dataSource(service.url);
  const full = await ds.query(
    request([{ refId: 'A', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/kl' }])
  );
  expect(full.errors).toBeUndefined();
  expect(full.data).toHaveLength(1);
  const frame = full.data[0];
  expect(frame.refId).toBe('A');
  expect(label(frame, 'run')).toBe('ppo-llama3-8b');
  expect(label(frame, 'metric')).toBe('objective/kl');
  const value = frame.fields.find((f: Field) => f.name === 'value');
  expect(numbers(value)).toHaveLength(500);
  expect(numbers(value).slice(0, 3)).toEqual([0, 0.01, 0.02]);
  expect(numbers(frame.fields.find((f: Field) => f.name === 'time'))[499]).toBe(T0 + 499 * MIN);

  // The dashboard range cuts the series; maxDataPoints downsamples it, keeping the first and last point.
  const cut = await ds.query(
    request([{ refId: 'B', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/kl' }], {
      from: T0 + 100 * MIN,
      to: T0 + 199 * MIN,
    })
  );
  expect(numbers(cut.data[0].fields.find((f: Field) => f.name === 'step'))).toEqual(
    Array.from({ length: 100 }, (_, i) => 100 + i)
  );
  const thin = await ds.query(
    request([{ refId: 'C', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/kl' }], { maxDataPoints: 50 })
  );
  const steps = numbers(thin.data[0].fields.find((f: Field) => f.name === 'step'));
  expect(steps.length).toBeLessThanOrEqual(50);
  expect(steps.length).toBeGreaterThan(10);
  expect(steps[0]).toBe(0);
  expect(steps[steps.length - 1]).toBe(499);
});

test('several targets come back under their own refIds; hidden targets are not sent', async () => {
  const ds = dataSource(service.url);
  const res = await ds.query(
    request([
      { refId: 'A', type: 'timeseries', run: 'dpo-llama3-8b', metric: 'loss' },
      { refId: 'B', type: 'timeseries', run: 'ppo-*', metric: 'loss*' },
      { refId: 'H', type: 'nonsense' as never, hide: true },
    ])
  );
  expect(res.errors).toBeUndefined();
  expect(res.data.map((f) => `${f.refId} ${label(f, 'run')} ${label(f, 'metric')}`)).toEqual([
    'A dpo-llama3-8b loss',
    'B ppo-llama3-8b loss/value_avg',
  ]);
});

test('multi-value and All variables reach the service as lists of names', async () => {
  setTemplateSrv(
    new SimpleTemplateSrv([
      customVariable({ name: 'run', current: ['ppo-llama3-8b', 'dpo-llama3-8b'] }),
      customVariable({ name: 'allRuns', current: '$__all', options: ['dpo-llama3-8b', 'ppo-llama3-8b'] }),
      customVariable({ name: 'metric', current: ['loss', 'loss/value_avg'] }),
    ])
  );
  const ds = dataSource(service.url);
  const res = await ds.query(
    request([
      { refId: 'A', type: 'timeseries', run: '$run', metric: '$metric' },
      { refId: 'B', type: 'timeseries', run: '${allRuns}', metric: 'loss' },
    ])
  );
  expect(res.errors).toBeUndefined();
  const names = res.data.map((f) => `${f.refId} ${label(f, 'run')} ${label(f, 'metric')}`).sort();
  expect(names).toEqual(['A dpo-llama3-8b loss', 'A ppo-llama3-8b loss/value_avg', 'B dpo-llama3-8b loss']);
});

test('a target the service refuses gets its error (and status) at its own refId; the others their frames', async () => {
  const bad = { refId: 'A', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'loss', x: 'sideways' };
  const good = { refId: 'B', type: 'timeseries', run: 'dpo-llama3-8b', metric: 'loss' };
  const direct = await fetch(`${service.url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ from: T0, to: T0 + MIN, queries: [bad, good] }),
  });
  expect(direct.status).toBe(200);
  const { results } = await direct.json();
  expect(results.A.status).toBe(400);
  expect(results.A.error).toContain('"x"');

  const res = await dataSource(service.url).query(request([bad, good] as unknown as RlhfQuery[]));
  expect(res.errors).toEqual([{ refId: 'A', message: results.A.error, status: 400 }]);
  expect(res.data.map((f) => f.refId)).toEqual(['B']);
  expect(res.state).toBe('Error');
});

test('calibration and status frames come through with their fields', async () => {
  const ds = dataSource(service.url);
  const res = await ds.query(
    request([
      { refId: 'C', type: 'calibration', model: 'reward-model', bins: 10 },
      { refId: 'S', type: 'status' },
    ])
  );
  expect(res.errors).toBeUndefined();
  const summary = res.data.find((f) => f.refId === 'C' && f.name === 'summary')!;
  const value = (name: string) => summary.fields.find((f: Field) => f.name === name)?.values[0];
  expect(value('ece')).toBeCloseTo(0.35, 10);
  expect(value('brier')).toBeCloseTo(0.375, 10);
  expect(value('count')).toBe(4);
  const status = res.data.find((f) => f.refId === 'S')!;
  expect(status.fields.find((f: Field) => f.name === 'phase')?.values).toEqual([
    'data',
    'training',
    'evaluation',
    'deployment',
  ]);
});

test('events become Grafana annotations', async () => {
  const ds = dataSource(service.url);
  const anno = ds.annotations!.prepareAnnotation!({ name: 'Events', enable: true, iconColor: 'teal' } as never);
  const target = (anno as { target: RlhfQuery }).target;
  expect(target).toMatchObject({ type: 'events' });
  const res = await ds.query(request([{ ...target, tags: ['incident'] }]));
  const events = await lastValueFrom(ds.annotations!.processEvents!(anno as never, res.data));
  expect(events).toEqual([
    {
      time: T0 + 200 * MIN,
      title: 'canary rollback',
      text: 'p99 over budget',
      tags: ['deployment', 'incident'],
      color: '#EF4444',
    },
  ]);
});

test('template variable values come from the catalog (CustomVariableSupport), old saved forms included', async () => {
  const ds = dataSource(service.url);
  const values = async (query: unknown) => {
    const support = ds.variables as RlhfVariableSupport;
    const res = await lastValueFrom(support.query(request([query as RlhfQuery])));
    expect(res.errors).toBeUndefined();
    return res.data.flatMap((f: { fields: Field[] }) => [...f.fields.find((x) => x.name === 'value')!.values]);
  };
  expect(await values({ refId: 'v', type: 'catalog', of: 'runs' })).toEqual(['dpo-llama3-8b', 'ppo-llama3-8b']);
  setTemplateSrv(new SimpleTemplateSrv([customVariable({ name: 'run', current: 'dpo-llama3-8b' })]));
  expect(await values({ refId: 'v', of: 'metrics', run: '$run' })).toEqual(['loss']); // saved as {of, run}
  expect(await values('runs')).toEqual(['dpo-llama3-8b', 'ppo-llama3-8b']); // saved as a string
});

test('a target with an empty required field is answered at its panel, without asking the service', async () => {
  const ds = dataSource('http://127.0.0.1:9'); // nothing listens: a request would fail differently
  const res = await ds.query(request([{ refId: 'A', type: 'drift', feature: 'category', reference: '', current: '' }]));
  expect(res.errors).toEqual([{ refId: 'A', message: 'Set Reference, Current to run this drift query', status: 400 }]);
});

describe('testDatasource', () => {
  test('ok with the right key', async () => {
    const res = await dataSource(service.url).testDatasource();
    expect(res.status).toBe('success');
    expect(res.message).toMatch(/^OK: /);
    expect(res.message).toContain('API key accepted; 2 runs');
  });

  test('wrong key, and no key at all, are reported as a wrong key', async () => {
    for (const secure of [{ apiKey: 'not-the-key' }, {}] as Array<Record<string, string>>) {
      const res = await dataSource(service.url, secure).testDatasource();
      expect(res.status).toBe('error');
      expect(res.message).toMatch(/^Wrong API key: /);
    }
  });

  test('unreachable when nothing listens at the URL', async () => {
    const gone = await startService({ port: 0, db: ':memory:' });
    const url = gone.url;
    await gone.close();
    const res = await dataSource(url).testDatasource();
    expect(res.status).toBe('error');
    expect(res.message).toMatch(/^Unreachable: /);
    expect(res.message).toContain(url);
  });

  test('a wrong key on a query says so instead of a bare 400', async () => {
    const res = await dataSource(service.url, { apiKey: 'nope' }).query(
      request([{ refId: 'A', type: 'timeseries', run: '*', metric: 'loss' }])
    );
    expect(res.errors?.[0].message).toMatch(/rejected the API key/);
  });
});
