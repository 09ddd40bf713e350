// A seeded fuzzer of the HTTP surface (issue 12): bodies for ingest, the trainer-state importer and the query
// API, built from valid ones by hostile mutations (wrong types, prototype keys, huge and fractional numbers,
// impossible dates, NUL and lone surrogates, deep nesting, many labels, broken JSON, odd content types and
// encodings). `fuzz` posts them and reports every answer >= 500 and every rejected batch that changed the store.
// The short form runs in jest (fuzz.test.ts), the long one in bench/fuzz.bench.ts.
import { gzipSync } from 'node:zlib';
import type { Service } from '../service';

export interface FuzzCase {
  path: string;
  contentType: string;
  encoding?: string;
  body: string | Buffer;
  what: string;
}

export interface FuzzReport {
  sent: number;
  byStatus: Record<number, number>;
  /** Cases answered >= 500. */
  errors: Array<{ what: string; status: number; reply: string }>;
  /** Rejected ingest/import bodies after which the store's counts differed. */
  leaks: string[];
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d\ude00',
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '*',
  '*a*a*a*a*a*a*a*b',
  '[?]',
  "'; DROP TABLE series; --",
  '%_\\',
  'x'.repeat(513),
  'é'.repeat(300),
  '2024-02-30',
  'foo 2020',
  '1e400',
  '\n',
];
const HOSTILE_NUMBERS = [
  0,
  -1,
  1.5,
  -0.0001,
  1e300,
  -1e300,
  2 ** 53,
  2 ** 53 + 2,
  2 ** 63,
  9.3e18,
  1e20,
  8.64e15,
  8.64e15 + 1,
  0.1,
  1,
  2,
];
// Written into the JSON text as is: not representable as a finite double, or not JSON at all.
const RAW_NUMBERS = ['1e400', '-1e400', '1e-400', 'NaN', 'Infinity', '-0', '00', '1.', '.5', '0x10'];
const KINDS = ['metric', 'annotation', 'prediction', 'sample', 'event'];
const QUERY_TYPES = ['timeseries', 'events', 'catalog', 'status', 'calibration', 'drift', 'agreement', 'health'];

function valid(kind: string, r: () => number, now: number): Record<string, unknown> {
  const i = Math.floor(r() * 50);
  const ts = now - Math.floor(r() * 86_400_000);
  switch (kind) {
    case 'metric':
      return { kind, run: `run${i % 3}`, name: `m${i % 7}`, value: r(), step: i, ts, labels: { gpu: String(i % 4) } };
    case 'annotation':
      return { kind, dataset: 'd', item: `i${i}`, annotator: `a${i % 4}`, label: i % 3, ts };
    case 'prediction':
      return { kind, model: 'rm', confidence: r(), correct: r() < 0.5, ts };
    case 'sample':
      return { kind, feature: `f${i % 3}`, source: r() < 0.5 ? 'training' : 'production', value: r(), ts };
    default:
      return { kind: 'event', title: `e${i}`, text: 't', tags: ['x'], phase: 'training', ts };
  }
}

/** Replace one field (or add one) with something hostile; `raw` values are spliced into the JSON text. */
function mutate(
  rec: Record<string, unknown>,
  r: () => number
): { rec: Record<string, unknown>; raw?: [string, string] } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const keys = Object.keys(rec);
  const field = r() < 0.85 ? pick(keys) : pick(['labels', 'step', 'ts', 'phase', 'extra', '__proto__']);
  const out = { ...rec };
  const roll = r();
  if (roll < 0.3) {
    out[field] = pick(HOSTILE_STRINGS);
  } else if (roll < 0.55) {
    out[field] = pick(HOSTILE_NUMBERS);
  } else if (roll < 0.65) {
    return { rec: out, raw: [field, pick(RAW_NUMBERS)] };
  } else if (roll < 0.72) {
    delete out[field];
  } else if (roll < 0.8) {
    out[field] = pick([null, true, [], {}, [1, 2], { a: 1 }]);
  } else if (roll < 0.87) {
    out.labels = Object.fromEntries(
      Array.from({ length: pick([1, 65, 300]) }, (_, i) => [pick(HOSTILE_STRINGS) + i, pick(HOSTILE_STRINGS)])
    );
  } else if (roll < 0.93) {
    out.kind = pick(['__proto__', 'constructor', 'toString', 'Metric', 'metric ', '', 1, null]);
  } else {
    out[field] = JSON.parse('['.repeat(40) + ']'.repeat(40));
  }
  return { rec: out };
}

function recordJson(rec: Record<string, unknown>, raw?: [string, string]): string {
  if (!raw) {
    return JSON.stringify(rec);
  }
  const text = JSON.stringify({ ...rec, [raw[0]]: '\u0001RAW\u0001' });
  return text.replace(JSON.stringify('\u0001RAW\u0001'), raw[1]);
}

function ingestCase(r: () => number, now: number): FuzzCase {
  const n = 1 + Math.floor(r() * 5);
  const records = Array.from({ length: n }, () => {
    const v = valid(KINDS[Math.floor(r() * KINDS.length)], r, now);
    return r() < 0.6 ? recordJson(v) : (({ rec, raw }) => recordJson(rec, raw))(mutate(v, r));
  });
  const roll = r();
  let body: string;
  let contentType = 'application/x-ndjson';
  if (roll < 0.45) {
    body = records.join(r() < 0.2 ? '\r\n' : '\n');
  } else if (roll < 0.8) {
    body = `[${records.join(',')}]`;
    contentType = 'application/json';
  } else if (roll < 0.85) {
    body = records.join('\n').slice(0, Math.floor(r() * 40)); // truncated
  } else if (roll < 0.9) {
    body = '\ufeff' + records.join('\n');
  } else if (roll < 0.93) {
    body = '['.repeat(5000) + ']'.repeat(5000);
    contentType = 'application/json';
  } else {
    body = records.join('\n');
    contentType = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/json; charset=utf-16',
      'application/xml',
    ][Math.floor(r() * 5)];
  }
  const c: FuzzCase = {
    path: '/api/v1/ingest',
    contentType,
    body,
    what: `ingest ${contentType} ${body.slice(0, 200)}`,
  };
  if (r() < 0.08) {
    c.encoding = r() < 0.7 ? 'gzip' : 'br';
    c.body = r() < 0.8 ? gzipSync(Buffer.from(body)) : Buffer.from('not gzip');
    c.what = `${c.encoding} ${c.what}`;
  }
  return c;
}

function importCase(r: () => number): FuzzCase {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const history: unknown[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, i) => ({
    step: i + 1,
    loss: r(),
    learning_rate: 1e-5,
  }));
  const entry = history[Math.floor(r() * history.length)] as Record<string, unknown>;
  const roll = r();
  if (roll < 0.25) {
    entry.step = pick([...HOSTILE_NUMBERS, ...HOSTILE_STRINGS.slice(0, 6), null]);
  } else if (roll < 0.45) {
    entry[pick(HOSTILE_STRINGS)] = pick(HOSTILE_NUMBERS);
  } else if (roll < 0.55) {
    history.push(pick([null, 1, 'x', [], { step: 1, deep: JSON.parse('['.repeat(30) + ']'.repeat(30)) }]));
  }
  const state: Record<string, unknown> = { log_history: history, max_steps: pick([10, -1, 1e300, 'x', 2 ** 60]) };
  let body = JSON.stringify(r() < 0.1 ? { ...state, log_history: pick([null, {}, 'x']) } : state);
  if (r() < 0.1) {
    body = body.replace(/"loss":[^,}]+/, `"loss":${pick(RAW_NUMBERS)}`);
  }
  const run = pick(['r', 'r', '', 'a%00b', '%ED%A0%80', '*', encodeURIComponent('x'.repeat(600))]);
  return {
    path: `/api/v1/import/trainer-state${run === '' && r() < 0.5 ? '' : `?run=${run}`}`,
    contentType: r() < 0.92 ? 'application/json' : 'text/plain',
    body,
    what: `import run=${run} ${body.slice(0, 200)}`,
  };
}

function queryCase(r: () => number, now: number): FuzzCase {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const type = r() < 0.9 ? pick(QUERY_TYPES) : pick(['__proto__', 'valueOf', 'constructor', 'toString', '', 1, null]);
  const target: Record<string, unknown> = {
    refId: 'A',
    type,
    run: pick(['run0', '*', 'run*', '*a*a*a*a*a*a*a*b', ['run0', 'run1']]),
    metric: pick(['m1', '*', 'm*']),
    feature: pick(['f0', '*', 'f*', '*a*a*a*a*a*a*a*b']),
    reference: 'training',
    current: 'production',
    model: pick(['rm', '*']),
    dataset: 'd',
    of: pick(['runs', 'metrics', 'features', 'x']),
  };
  const roll = r();
  if (roll < 0.5) {
    const f = pick(Object.keys(target));
    target[f] = pick([...HOSTILE_STRINGS, ...HOSTILE_NUMBERS, null, [], {}, Array(1001).fill('x')]);
  } else if (roll < 0.6) {
    target[pick(['bins', 'interval', 'smoothing', 'window', 'limit', 'level', 'binning', 'x'])] = pick([
      ...HOSTILE_NUMBERS,
      ...HOSTILE_STRINGS,
    ]);
  }
  const times = [now - 86_400_000, now, 1.5, -1, 1e20, 2 ** 63, '2024-02-30', 'foo 2020', '', '1e400', null, 0];
  const body: Record<string, unknown> = {
    from: r() < 0.6 ? now - 86_400_000 : pick(times),
    to: r() < 0.6 ? now : pick(times),
    queries: r() < 0.95 ? [target] : pick([[], {}, Array(60).fill(target), null]),
  };
  if (r() < 0.2) {
    body.maxDataPoints = pick([...HOSTILE_NUMBERS, 'x', null]);
  }
  let text = JSON.stringify(body);
  if (r() < 0.05) {
    text = text.replace(/"to":[^,}]+/, `"to":${pick(RAW_NUMBERS)}`);
  }
  return {
    path: '/api/v1/query',
    contentType: r() < 0.95 ? 'application/json' : 'text/plain',
    body: text,
    what: `query ${text.slice(0, 300)}`,
  };
}

/** `n` cases from `seed`: half ingest, a quarter importer, a quarter query. */
export function fuzzCases(seed: number, n: number, now: number): FuzzCase[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) =>
    i % 4 < 2 ? ingestCase(r, now) : i % 4 === 2 ? importCase(r) : queryCase(r, now)
  );
}

const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);

/** Post every case (a few at a time) and check the answers and the store. */
export async function fuzz(svc: Service, cases: FuzzCase[], concurrency = 4): Promise<FuzzReport> {
  const report: FuzzReport = { sent: 0, byStatus: {}, errors: [], leaks: [] };
  let next = 0;
  // Ingests change the counts, so a rejected body's "nothing stored" is checked with ingest serialised.
  let writing: Promise<void> = Promise.resolve();
  const one = async (c: FuzzCase) => {
    const post = () =>
      fetch(`${svc.url}${c.path}`, {
        method: 'POST',
        headers: { 'content-type': c.contentType, ...(c.encoding ? { 'content-encoding': c.encoding } : {}) },
        body: c.body as BodyInit,
      }).then(async (res) => ({ status: res.status, text: await res.text() }));
    let res: { status: number; text: string };
    if (c.path === '/api/v1/query') {
      res = await post();
    } else {
      const turn = writing.then(async () => {
        const before = total(await svc.store.counts());
        const out = await post();
        if (out.status !== 200 && total(await svc.store.counts()) !== before) {
          report.leaks.push(`${out.status} ${c.what}`);
        }
        return out;
      });
      writing = turn.then(
        () => undefined,
        () => undefined
      );
      res = await turn;
    }
    report.sent++;
    report.byStatus[res.status] = (report.byStatus[res.status] ?? 0) + 1;
    if (res.status >= 500) {
      report.errors.push({ what: c.what, status: res.status, reply: res.text.slice(0, 300) });
    }
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < cases.length) {
        await one(cases[next++]);
      }
    })
  );
  return report;
}
