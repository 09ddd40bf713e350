// How store-v0.db and store-v0.expected.json were made: run at commit f9d49c6 (the schema before numbered
// migrations, no user_version) with `npx tsx server/testdata/v0/make-fixture.ts`. Do not re-run it with newer code:
// the point of the fixture is a file written by the old schema.
import fs from 'node:fs';
import path from 'node:path';
import { SqliteStore } from '../../src/store/sqlite';
import type { RlhfRecord } from '@rlhf-monitor/contract';

const out = path.join(__dirname);
const file = `${out}/store-v0.db`;
for (const f of [file, file + '-wal', file + '-shm']) {
  fs.rmSync(f, { force: true });
}
const T0 = Date.UTC(2026, 10, 1);
const recs: RlhfRecord[] = [];
// a training series longer than one chunk (1024) plus a short labelled one
for (let i = 0; i < 2500; i++) {
  recs.push({
    kind: 'metric',
    run: 'ppo-1',
    name: 'loss',
    value: Math.round(1000 * Math.exp(-i / 800)) / 1000,
    step: i,
    ts: T0 + i * 1000,
    phase: 'training',
    labels: {},
  });
}
for (let i = 0; i < 10; i++) {
  recs.push({
    kind: 'metric',
    run: 'serve-v2',
    name: 'latency_p99_ms',
    value: 100 + i,
    step: null,
    ts: T0 + i * 60000,
    phase: 'deployment',
    labels: { track: 'canary', version: 'v2' },
  });
}
for (let i = 0; i < 30; i++) {
  recs.push({
    kind: 'annotation',
    dataset: 'prefs',
    item: `item-${i % 10}`,
    annotator: `a${i % 3}`,
    label: i % 2 ? 'A' : 'B',
    ts: T0 + i * 1000,
  });
}
for (let i = 0; i < 40; i++) {
  recs.push({
    kind: 'prediction',
    model: 'rm-1',
    confidence: (i % 10) / 10 + 0.05,
    correct: i % 3 !== 0,
    item: i % 4 ? `p${i}` : null,
    ts: T0 + i * 1000,
  });
}
for (let i = 0; i < 40; i++) {
  recs.push({
    kind: 'sample',
    feature: i % 2 ? 'length' : 'topic',
    source: i % 4 < 2 ? 'training' : 'production',
    value: i % 2 ? 100 + i : `t${i % 3}`,
    ts: T0 + i * 1000,
  });
}
recs.push({
  kind: 'event',
  title: 'run start',
  text: 'ppo-1 started',
  tags: ['run-start', 'ppo-1'],
  phase: 'training',
  ts: T0,
});
recs.push({ kind: 'event', title: 'rollout', text: 'v2 canary', tags: ['rollout'], phase: null, ts: T0 + 5000 });
(async () => {
  const s = new SqliteStore(file);
  await s.insert(recs.slice(0, 1500));
  await s.insert(recs.slice(1500));
  await s.close();
  const r = new SqliteStore(file);
  const range = { from: T0 - 1, to: T0 + 10 * 86400000 };
  const expected = {
    counts: await r.counts(),
    series: await r.series({ range }),
    annotations: await r.annotations({ dataset: 'prefs', range }),
    predictions: await r.predictions({ model: '*', range }),
    samplesLength: await r.samples({ feature: 'length', source: 'training', range }),
    samplesTopic: await r.samples({ feature: 'topic', source: 'production', range }),
    events: await r.events({ range }),
    runs: await r.catalog('runs'),
  };
  await r.close();
  for (const f of [file + '-wal', file + '-shm']) {
    fs.rmSync(f, { force: true });
  }
  fs.writeFileSync(`${out}/store-v0.expected.json`, JSON.stringify(expected));
  console.log('ok', expected.counts);
})();
