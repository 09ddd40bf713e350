import { startService, type Service } from '../service';
import { post, tempDb } from './testing';

describe('POST /api/v1/ingest over HTTP on a SQLite file', () => {
  const db = tempDb();
  let svc: Service;
  let ingest: (body: unknown, contentType?: string) => ReturnType<typeof post>;

  beforeAll(async () => {
    svc = await startService({ db: db.file, bodyLimit: 20 * 1024 * 1024 });
    ingest = (body, contentType) => post(`${svc.url}/api/v1/ingest`, body, { contentType });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  const valid = {
    metric: { kind: 'metric', run: 'r', name: 'loss', value: 0.5, step: 3, labels: { node: 'n0' } },
    annotation: { kind: 'annotation', dataset: 'd', item: 'i1', annotator: 'a1', label: 'A' },
    prediction: { kind: 'prediction', model: 'rm', confidence: 0.8, correct: 1 },
    sample: { kind: 'sample', feature: 'category', source: 'training', value: 'math' },
    event: { kind: 'event', title: 'checkpoint 100', tags: ['checkpoint'], phase: 'training' },
  };

  it.each([
    ['an empty NDJSON body (curl --data-binary @missing-file)', '', 'application/x-ndjson'],
    ['blank NDJSON lines', '\n \n', 'application/x-ndjson'],
    ['an empty JSON array', '[]', 'application/json'],
  ])('answers 400 for %s, storing nothing', async (_, body, contentType) => {
    const before = await svc.store.counts();
    const r = await ingest(body, contentType);
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/the body holds no records.*--data-binary @ exists/);
    expect(await svc.store.counts()).toEqual(before);
  });

  it.each(Object.entries(valid))('accepts a valid %s record (JSON array)', async (kind, record) => {
    const before = (await svc.store.counts())[kind as 'metric'];
    const r = await ingest([record]);
    expect(r).toEqual({ status: 200, json: { accepted: 1 } });
    expect((await svc.store.counts())[kind as 'metric']).toBe(before + 1);
  });

  it('accepts NDJSON with blank lines, ISO and epoch timestamps, and defaults ts to now', async () => {
    const t0 = Date.now();
    const body = [
      // (steps 1 and 2: without a step, points of one series at the same time are one point; docs/contract.md)
      JSON.stringify({ kind: 'metric', run: 'nd', name: 'x', value: 1, step: 1, ts: '2026-01-02T03:04:05Z' }),
      '',
      JSON.stringify({ kind: 'metric', run: 'nd', name: 'x', value: 2, step: 2, ts: 1767323045000 }),
      JSON.stringify({ kind: 'metric', run: 'nd', name: 'x', value: 3 }),
    ].join('\n');
    expect(await ingest(body, 'application/x-ndjson')).toEqual({ status: 200, json: { accepted: 3 } });
    const [s] = await svc.store.series({ runs: 'nd', metrics: 'x', range: { from: 0, to: Date.now() + 1000 } });
    expect(s.points.map((p) => p.ts).slice(0, 2)).toEqual([Date.parse('2026-01-02T03:04:05Z'), 1767323045000]);
    expect(s.points[2].ts).toBeGreaterThanOrEqual(t0);
    expect(s.phase).toBe('training');
    expect(s.points[2].step).toBeNull();
  });

  const invalid: Array<[string, unknown, string]> = [
    ['metric value as string', { ...valid.metric, value: '1' }, 'field "value" expected a finite number'],
    ['metric without run', { kind: 'metric', name: 'loss', value: 1 }, 'field "run" is required'],
    ['negative step', { ...valid.metric, step: -1 }, 'field "step" expected an integer from 0 to 9007199254740991'],
    ['fractional step', { ...valid.metric, step: 1.5 }, 'field "step" expected an integer from 0 to 9007199254740991'],
    ['unknown phase', { ...valid.metric, phase: 'prod' }, 'field "phase" expected one of data, training'],
    ['label value not string', { ...valid.metric, labels: { gpu: 0 } }, 'field "labels.gpu" expected a string'],
    ['annotation label object', { ...valid.annotation, label: {} }, 'field "label" expected a string or a finite'],
    ['annotation without annotator', { ...valid.annotation, annotator: undefined }, 'field "annotator" is required'],
    ['confidence above 1', { ...valid.prediction, confidence: 1.2 }, 'field "confidence" expected a number in [0, 1]'],
    ['correct as "yes"', { ...valid.prediction, correct: 'yes' }, 'field "correct" expected true/false or 0/1'],
    ['sample value null', { ...valid.sample, value: null }, 'field "value" expected a finite number or a category'],
    ['event without title', { kind: 'event', tags: [] }, 'field "title" is required'],
    ['event tags not array', { ...valid.event, tags: 'x' }, 'field "tags" expected an array of strings'],
    ['bad timestamp', { ...valid.event, ts: 'yesterday' }, 'field "ts" expected an RFC 3339 time'],
    ['unknown kind', { kind: 'log', text: 'x' }, 'field "kind" expected one of metric, annotation'],
    ['not an object', 42, 'expected a JSON object with a "kind" field'],
    ['10 MB name', { ...valid.metric, name: 'x'.repeat(10 * 1024 * 1024) }, 'field "name" must be at most 512'],
  ];

  it.each(invalid)('rejects %s with 400 naming line and field, storing nothing', async (_what, bad, message) => {
    const before = await svc.store.counts();
    const r = await ingest([valid.metric, valid.event, bad]);
    expect(r.status).toBe(400);
    expect(r.json.error).toContain('line 3: ');
    expect(r.json.error).toContain(message);
    expect(await svc.store.counts()).toEqual(before);
  });

  it('rejects NaN/Infinity (not JSON) with the NDJSON line number', async () => {
    const body = `${JSON.stringify(valid.metric)}\n\n{"kind":"metric","run":"r","name":"x","value":NaN}\n`;
    const r = await ingest(body, 'application/x-ndjson');
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/^line 3: not valid JSON/);
    const inf = await ingest('[{"kind":"metric","run":"r","name":"x","value":1e999}]');
    expect(inf.status).toBe(400);
    expect(inf.json.error).toContain('finite number');
  });

  it('reports the NDJSON source line, not the record index, for a schema error after blank lines', async () => {
    const body = `\n\n${JSON.stringify(valid.metric)}\n\n${JSON.stringify({ ...valid.metric, value: 'x' })}`;
    const r = await ingest(body, 'application/x-ndjson');
    expect(r.json.error).toMatch(/^line 5: field "value"/);
  });

  it('rejects invalid JSON bodies and non-arrays', async () => {
    expect((await ingest('[{"kind":')).json.error).toMatch(/body is not valid JSON/);
    expect((await ingest('{"kind":"metric"', 'application/x-ndjson')).json.error).toMatch(/line 1: not valid JSON/);
  });

  it('stores SQL-looking names literally', async () => {
    const name = "loss'); DROP TABLE metrics; --";
    expect((await ingest([{ ...valid.metric, run: 'sql', name }])).status).toBe(200);
    const names = await svc.store.catalog('metrics', { run: 'sql' });
    expect(names).toEqual([name]);
    expect((await svc.store.counts()).metric).toBeGreaterThan(0);
  });

  it('answers 413 with advice for a body over the limit, and keeps serving', async () => {
    const big = JSON.stringify([{ ...valid.event, text: 'x'.repeat(21 * 1024 * 1024) }]);
    const r = await ingest(big);
    expect(r.status).toBe(413);
    expect(r.json.error).toMatch(/split it into smaller batches/);
    expect((await fetch(`${svc.url}/api/v1/health`)).status).toBe(200);
  });

  it('answers 415 for an unsupported content type and 404 with JSON for unknown routes', async () => {
    const r = await post(`${svc.url}/api/v1/ingest`, 'x', { contentType: 'application/xml' });
    expect(r.status).toBe(415);
    expect(r.json.error).toMatch(/Content-Type/);
    const nf = await post(`${svc.url}/api/v2/ingest`, []);
    expect(nf.status).toBe(404);
    expect(nf.json.error).toMatch(/no route POST/);
  });
});

describe('Idempotency-Key: a retried batch is stored once', () => {
  const db = tempDb();
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ db: db.file });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  const send = (body: string, key?: string) =>
    fetch(`${svc.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...(key ? { 'idempotency-key': key } : {}) },
      body,
    });
  // Samples have no natural identity: without the key, a repeat is stored again.
  const batch = [1, 2, 3]
    .map((v) => JSON.stringify({ kind: 'sample', feature: 'f', source: 's', value: v }))
    .join('\n');

  it('replays the first answer for the same key, also when the retry races the first try', async () => {
    const [a, b] = await Promise.all([send(batch, 'batch-1'), send(batch, 'batch-1')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect([await a.json(), await b.json()]).toEqual([{ accepted: 3 }, { accepted: 3 }]);
    const again = await send(batch, 'batch-1');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await svc.store.counts()).sample).toBe(3);
    await send(batch, 'batch-2');
    expect((await svc.store.counts()).sample).toBe(6);
    await send(batch);
    expect((await svc.store.counts()).sample).toBe(9);
  });

  it('runs a rejected batch again on retry, and refuses a malformed key', async () => {
    const bad = '{"kind":"sample","feature":"f"}';
    expect((await send(bad, 'batch-3')).status).toBe(400);
    expect((await send(batch, 'batch-3')).status).toBe(200);
    expect((await svc.store.counts()).sample).toBe(12);
    const r = await send(batch, 'x'.repeat(129));
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(/idempotency-key must be 1-128 printable ASCII/);
  });
});
