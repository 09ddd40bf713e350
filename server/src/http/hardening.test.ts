// Issue 12: hostile input gets a 4xx that says what is wrong, nothing of a rejected batch is stored, and health
// answers from memory. One `describe` per defect.
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { startService, type Service } from '../service';
import { post, tempDb } from './testing';

const MB = 1024 * 1024;

async function send(
  url: string,
  body: string | Buffer,
  headers: Record<string, string>
): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers, body: body as BodyInit });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    return { status: res.status, json: text };
  }
}

const metric = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ kind: 'metric', run: 'h', name: 'loss', value: i, step: i, ts: 1_700_000_000_000 + i, ...extra });

describe('hardened HTTP surface (issue 12)', () => {
  const db = tempDb();
  let svc: Service;
  let ingestUrl: string;
  const total = async () => Object.values(await svc.store.counts()).reduce((a, b) => a + b, 0);

  beforeAll(async () => {
    svc = await startService({
      db: db.file,
      limits: {
        bodyBytes: 2 * MB,
        largeBodyBytes: 64 * 1024,
        inflightBodyBytes: 2 * MB,
        inflightWaitMs: 300,
        newSeriesPerBatch: 50,
      },
    });
    ingestUrl = `${svc.url}/api/v1/ingest`;
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  describe('defect 10: only JSON and NDJSON content types', () => {
    it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
      'answers 415 to %s and stores nothing',
      async (type) => {
        const before = await total();
        const r = await send(ingestUrl, metric(1), { 'content-type': type });
        expect(r.status).toBe(415);
        expect(r.json.error).toMatch(/application\/json or application\/x-ndjson/);
        expect(await total()).toBe(before);
      }
    );

    it('accepts application/json and application/x-ndjson', async () => {
      expect((await send(ingestUrl, `[${metric(1)}]`, { 'content-type': 'application/json' })).status).toBe(200);
      expect((await send(ingestUrl, metric(2), { 'content-type': 'application/x-ndjson' })).status).toBe(200);
    });
  });

  describe('defect 12: gzip bodies', () => {
    it('decodes a gzip NDJSON body', async () => {
      const body = gzipSync(Buffer.from([metric(10), metric(11), metric(12)].join('\n')));
      const r = await send(ingestUrl, body, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
      expect(r).toEqual({ status: 200, json: { accepted: 3 } });
    });

    it('answers 413 when the body inflates past the limit (a gzip bomb), storing nothing', async () => {
      const before = await total();
      const bomb = gzipSync(Buffer.from(`${metric(1)}\n${' '.repeat(8 * MB)}`));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const r = await send(ingestUrl, bomb, { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
      expect(r.status).toBe(413);
      expect(r.json.error).toMatch(/larger than 2 MB \(after decompression\)/);
      expect(await total()).toBe(before);
    });

    it('answers 415 for other encodings and 400 for a corrupt gzip stream', async () => {
      const br = await send(ingestUrl, 'xx', { 'content-type': 'application/json', 'content-encoding': 'br' });
      expect(br.status).toBe(415);
      expect(br.json.error).toMatch(/Content-Encoding "br"/);
      const bad = await send(ingestUrl, 'not gzip', {
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      });
      expect(bad.status).toBe(400);
    });
  });

  describe('defect 11: bounded bodies, labels and new series', () => {
    it('parses a large NDJSON body line by line, with the line number of a bad line', async () => {
      const lines = Array.from({ length: 5000 }, (_, i) => metric(100 + i));
      expect((await send(ingestUrl, lines.join('\n'), { 'content-type': 'application/x-ndjson' })).json).toEqual({
        accepted: 5000,
      });
      lines[4321] = '{"kind": "metric", "run": ';
      const before = await total();
      const r = await send(ingestUrl, lines.join('\n'), { 'content-type': 'application/x-ndjson' });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/^line 4322: not valid JSON/);
      expect(await total()).toBe(before);
    });

    it('answers 400 naming newSeriesPerBatch when a batch would create too many series, storing nothing', async () => {
      const before = await total();
      const body = Array.from({ length: 51 }, (_, i) => metric(i, { labels: { request_id: `r${i}` } })).join('\n');
      const r = await send(ingestUrl, body, { 'content-type': 'application/x-ndjson' });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/create 51 new series, more than the limit of 50 \(newSeriesPerBatch\)/);
      expect(await total()).toBe(before);
      // The same series in two batches are fine.
      const half = Array.from({ length: 30 }, (_, i) => metric(i, { labels: { request_id: `r${i}` } })).join('\n');
      expect((await send(ingestUrl, half, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
    });

    it('holds a large body back while others fill the in-flight budget, then answers 429', async () => {
      // A client that declares 1.5 MB and sends it slowly holds 1.5 of the 2 MB budget.
      const held = http.request(ingestUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', 'content-length': String(1.5 * MB) },
      });
      held.on('error', () => undefined);
      held.write(metric(1) + '\n');
      await new Promise((r) => setTimeout(r, 100));
      const big = Array.from({ length: 12_000 }, (_, i) => metric(i)).join('\n'); // ~1 MB
      const r = await send(ingestUrl, big, { 'content-type': 'application/x-ndjson' });
      expect(r.status).toBe(429);
      expect(r.json.error).toMatch(/too many large bodies in flight \(2 MB at once, inflightBodyBytes\)/);
      held.destroy();
      await new Promise((res) => setTimeout(res, 100));
      // Room again once the held body is gone.
      expect((await send(ingestUrl, big, { 'content-type': 'application/x-ndjson' })).status).toBe(200);
    });
  });

  describe('defect 8: no 500 for hostile input', () => {
    it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('rejects kind %s with 400', async (kind) => {
      const r = await send(ingestUrl, JSON.stringify({ kind, run: 'r', name: 'n', value: 1 }), {
        'content-type': 'application/x-ndjson',
      });
      expect(r.status).toBe(400);
      expect(r.json.error).toMatch(/"kind"/);
    });

    it('rejects deeply nested JSON with 400 on ingest and query', async () => {
      const deep = '['.repeat(100_000) + ']'.repeat(100_000);
      for (const [url, type] of [
        [ingestUrl, 'application/json'],
        [ingestUrl, 'application/x-ndjson'],
        [`${svc.url}/api/v1/query`, 'application/json'],
      ]) {
        const r = await send(url, deep, { 'content-type': type });
        expect([url, type, r.status]).toEqual([url, type, 400]);
      }
      const nestedKind = `{"kind": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
      expect((await send(ingestUrl, nestedKind, { 'content-type': 'application/x-ndjson' })).status).toBe(400);
    });

    it.each(['__proto__', 'valueOf', 'constructor', 'toString'])(
      'answers query type %s with a per-target 400',
      async (type) => {
        const r = await post(`${svc.url}/api/v1/query`, {
          queries: [
            { refId: 'A', type },
            { refId: 'B', type: 'catalog', of: 'runs' },
          ],
        });
        expect(r.status).toBe(200);
        expect(r.json.results.A.status).toBe(400);
        expect(r.json.results.A.error).toMatch(/type/);
        expect(r.json.results.B.frames).toHaveLength(1);
      }
    );
  });

  describe('defects 7 and 9: only what both stores hold, read back as sent', () => {
    const one = (rec: Record<string, unknown>) =>
      send(ingestUrl, JSON.stringify({ kind: 'metric', run: 'v', name: 'x', value: 1, ...rec }), {
        'content-type': 'application/x-ndjson',
      });
    const manyLabels = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']));
    it.each([
      ['ts "foo 2020"', { ts: 'foo 2020' }, 'ts', /RFC 3339/],
      ['ts "2024-02-30T00:00:00Z" (no such day)', { ts: '2024-02-30T00:00:00Z' }, 'ts', /RFC 3339/],
      ['ts "2024-02-30" (a date, no time)', { ts: '2024-02-30' }, 'ts', /RFC 3339/],
      ['ts 25:00', { ts: '2024-01-01T25:00:00Z' }, 'ts', /RFC 3339/],
      ['step 2^53', { step: 2 ** 53 }, 'step', /integer from 0 to 9007199254740991/],
      ['33 labels', { labels: manyLabels }, 'labels', /at most 32 labels/],
      ['a NUL in the name', { name: 'b\u0000c' }, 'name', /without NUL/],
      ['a lone surrogate in the run', { run: 'a\ud800' }, 'run', /lone surrogate/],
      ['a lone surrogate in a label name', { labels: { ['\udc00']: 'v' } }, 'labels.\udc00', /lone surrogate/],
    ])('rejects %s with 400 naming the field', async (_what, rec, field, message) => {
      const before = await total();
      const r = await one(rec);
      expect(r.status).toBe(400);
      expect(r.json.error).toContain(`field "${field}"`);
      expect(r.json.error).toMatch(message);
      expect(await total()).toBe(before);
    });

    it('rejects step 1e400 and accepts RFC 3339 with an offset and an emoji run name', async () => {
      const r = await send(ingestUrl, '{"kind":"metric","run":"v","name":"x","value":1,"step":1e400}', {
        'content-type': 'application/x-ndjson',
      });
      expect(r.status).toBe(400);
      expect(r.json.error).toContain('field "step"');
      expect((await one({ run: 'v\ud83d\ude00', ts: '2026-01-02T05:04:05.250+02:00', step: 7 })).status).toBe(200);
      const [s] = await svc.store.series({ runs: 'v\ud83d\ude00', range: { from: 0, to: 8.64e15 } });
      expect(s.points).toEqual([{ ts: Date.parse('2026-01-02T03:04:05.250Z'), step: 7, value: 1 }]);
    });

    it('answers a query holding a NUL or a lone surrogate with 400, and a time past the range with 400', async () => {
      for (const run of ['a\u0000b', '\ud800']) {
        const r = await post(`${svc.url}/api/v1/query`, { queries: [{ refId: 'A', type: 'timeseries', run }] });
        expect(r.status).toBe(400);
        expect(r.json.error).toMatch(/valid Unicode/);
      }
      const far = await post(`${svc.url}/api/v1/query`, { from: 0, to: 1e20, queries: [{ type: 'status' }] });
      expect(far.status).toBe(400);
      const frac = await post(`${svc.url}/api/v1/query`, { from: 1.5, to: 2.5, queries: [{ type: 'status' }] });
      expect(frac.status).toBe(200);
    });
  });

  describe('defect 3: health answers from memory', () => {
    it('does not touch the store, and counts what was stored', async () => {
      const before = (await (await fetch(`${svc.url}/api/v1/health`)).json()).counts.metric;
      const fresh = [metric(900_001, { run: 'health' }), metric(900_002, { run: 'health' })];
      await send(ingestUrl, fresh.join('\n'), { 'content-type': 'application/x-ndjson' });
      const counts = svc.store.counts;
      svc.store.counts = () => Promise.reject(new Error('health must not count the store'));
      try {
        const r = await fetch(`${svc.url}/api/v1/health`);
        expect(r.status).toBe(200);
        expect((await r.json()).counts.metric).toBe(before + 2);
      } finally {
        svc.store.counts = counts;
      }
    });

    it('answers queries a few at a time (concurrentQueries), giving each slot back when its answer is sent', async () => {
      await send(ingestUrl, metric(1, { run: 'slots' }), { 'content-type': 'application/x-ndjson' });
      const query = { from: 0, queries: [{ refId: 'A', type: 'timeseries', run: 'slots', metric: 'loss' }] };
      // 4 slots and a 300 ms wait: a slot kept after an answer would leave the later queries a 429 each.
      const many = (n: number) =>
        Promise.all(
          Array.from({ length: n }, () =>
            send(`${svc.url}/api/v1/query`, JSON.stringify(query), { 'content-type': 'application/json' })
          )
        );
      const answers = [...(await many(8)), ...(await many(8))];
      expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
      expect(answers[15].json.results.A.frames[0].data.values.at(-1)).toEqual([1]);
    });
  });
});

describe('defect 4: heavy analytics off the main thread, within a budget', () => {
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ limits: { targetBudgetMs: 300, seriesPerTarget: 3, pointsPerTarget: 5000 } });
    const now = Date.now();
    const samples = [];
    for (let f = 0; f < 60; f++) {
      for (let i = 0; i < 2000; i++) {
        const source = i % 2 ? 'training' : 'production';
        samples.push({
          kind: 'sample',
          feature: `f${f}`,
          source,
          value: ((i * 7919) % 1000) / (source === 'training' ? 1000 : 900),
          ts: now - i,
        });
      }
    }
    for (let i = 0; i < 6000; i++) {
      samples.push({ kind: 'sample', feature: 'big', source: 'training', value: i, ts: now - i });
    }
    await svc.ingestor.ingest(samples);
    await svc.ingestor.ingest(
      Array.from({ length: 4 }, (_, i) => ({ kind: 'metric', run: 'cap', name: `m${i}`, value: i, ts: now }))
    );
  });
  afterAll(() => svc.close());

  it('answers health while a drift over many features runs in a worker', async () => {
    const order: string[] = [];
    const drift = post(`${svc.url}/api/v1/query`, {
      queries: [
        { refId: 'D', type: 'drift', feature: 'f*', reference: 'training', current: 'production' },
        { refId: 'C', type: 'catalog', of: 'features' },
      ],
    }).then((r) => (order.push('drift'), r));
    await new Promise((r) => setTimeout(r, 30));
    const health = fetch(`${svc.url}/api/v1/health`).then((r) => (order.push('health'), r.status));
    expect(await health).toBe(200);
    const r = await drift;
    expect(order).toEqual(['health', 'drift']);
    expect(r.status).toBe(200);
    // Within 0.3 s the drift may finish or be stopped, depending on the machine's load: either is an answer.
    expect(r.json.results.D.frames ?? r.json.results.D.error).toBeDefined();
    expect(r.json.results.C.frames[0].data.values[0]).toHaveLength(61);
  });

  it('stops a target at its budget with an error naming the limit, and answers the others', async () => {
    // A budget no drift can meet, whatever the machine: the error does not depend on timing. More samples than
    // a target may read on the main thread (INLINE_RECORDS), so it runs in a worker, within the budget.
    const strict = await startService({ limits: { targetBudgetMs: 1 } });
    try {
      const now = Date.now();
      const samples = Array.from({ length: 24000 }, (_, i) => ({
        kind: 'sample',
        feature: `f${i % 4}`,
        source: i % 8 < 4 ? 'training' : 'production',
        value: i % 97,
        ts: now - i,
      }));
      expect((await post(`${strict.url}/api/v1/ingest`, samples)).status).toBe(200);
      const r = await post(`${strict.url}/api/v1/query`, {
        queries: [
          { refId: 'D', type: 'drift', feature: 'f*', reference: 'training', current: 'production' },
          { refId: 'C', type: 'catalog', of: 'features' },
        ],
      });
      expect(r.status).toBe(200);
      expect(r.json.results.D).toEqual({
        status: 400,
        error: expect.stringMatching(
          /stopped after 0.001 s, the budget of one target \(targetBudgetMs\); shorten the time range/
        ),
      });
      expect(r.json.results.C.frames).toBeDefined();
    } finally {
      await strict.close();
    }
  });

  it('answers a target over the series or points cap with an error naming the cap', async () => {
    const r = await post(`${svc.url}/api/v1/query`, {
      from: 0,
      to: Date.now() + 1000,
      queries: [
        { refId: 'S', type: 'timeseries', run: '*', metric: '*' },
        { refId: 'N', type: 'timeseries', run: 'cap', metric: ['m1', 'm2'] },
        { refId: 'F', type: 'drift', feature: 'f1', reference: 'training', current: 'production' },
        { refId: 'P', type: 'drift', feature: 'big', reference: 'training', current: 'production' },
      ],
    });
    expect(r.json.results.S.error).toMatch(
      /the names match 4, more than the limit of 3 \(seriesPerTarget\); name the run/
    );
    expect(r.json.results.N.frames).toHaveLength(2);
    // 1,000 samples of f1 per population are within the 5,000 points one read may return; 6,000 of "big" are not.
    expect(r.json.results.F.frames.map((f: any) => f.schema.name)).toEqual(['summary', 'histogram']);
    expect(r.json.results.P.error).toMatch(
      /it reads at least 5001, more than the limit of 5000 \(pointsPerTarget\); shorten/
    );
  });

  it('answers too many targets in one request with 400 naming targetsPerQuery', async () => {
    const queries = Array.from({ length: 51 }, (_, i) => ({ refId: `Q${i}`, type: 'catalog', of: 'runs' }));
    const r = await post(`${svc.url}/api/v1/query`, { queries });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatch(/51 queries in one request, more than the limit of 50 \(targetsPerQuery\)/);
  });
});
