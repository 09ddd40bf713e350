import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RlhfRecord } from '@rlhf-monitor/contract';
import { boundedStore } from '../server/src/query/bounded';
import { openStore } from '../server/src/store/open';
import { hasPostgres, startCluster } from '../server/src/store/pgCluster';

// A target over pointsPerTarget (issue 12): the time to refuse it when the store reads everything and the cap
// counts afterwards (an unlimited read, as before) vs when the store stops at cap + 1 (boundedStore now), for
// one series' points and one feature's samples. Median of 5 each; one JSON line per figure.
// `node --import tsx bench/readLimit.bench.ts [sqlite|pg]` runs one store.
const T0 = Date.parse('2026-01-01T00:00:00Z');
const CAP = 100_000;

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

async function bench(kind: 'sqlite' | 'pg', url: string, n: number) {
  const store = await openStore(url);
  try {
    for (let off = 0; off < n; off += 50_000) {
      const batch: RlhfRecord[] = [];
      for (let i = off; i < Math.min(n, off + 50_000); i++) {
        const ts = T0 + i * 10;
        batch.push({ kind: 'metric', run: 'r', name: 'm', phase: 'training', labels: {}, step: i, value: i, ts });
        batch.push({ kind: 'sample', feature: 'f', source: 's', value: i, ts });
      }
      await store.insert(batch);
    }
    const range = { from: T0, to: T0 + n * 10 };
    const bounded = boundedStore(store, { seriesPerTarget: 1000, pointsPerTarget: CAP }, 'P');
    const cases: Array<[string, string, () => Promise<unknown>]> = [
      ['series', 'unlimited read (before)', () => store.series({ runs: 'r', metrics: 'm', range })],
      ['series', 'stops at cap + 1 (after)', () => bounded.series({ runs: 'r', metrics: 'm', range })],
      ['samples', 'unlimited read (before)', () => store.samples({ feature: 'f', source: 's', range })],
      ['samples', 'stops at cap + 1 (after)', () => bounded.samples({ feature: 'f', source: 's', range })],
    ];
    for (const [read, how, f] of cases) {
      const ms: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t = performance.now();
        await f().catch(() => undefined); // the bounded reads are refused: that is the point
        ms.push(performance.now() - t);
      }
      const loadavg = os.loadavg()[0];
      console.log(
        JSON.stringify({
          bench: 'readLimit',
          store: kind,
          read,
          how,
          inRange: n,
          cap: CAP,
          medianMs: Math.round(median(ms)),
          loadavg,
        })
      );
    }
  } finally {
    await store.close();
  }
}

async function main() {
  const only = process.argv[2];
  if (only !== 'pg') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-bench-'));
    try {
      await bench('sqlite', path.join(dir, 'rlhf.db'), 2_000_000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (only === 'sqlite') {
    return;
  }
  if (!hasPostgres()) {
    console.log(JSON.stringify({ bench: 'readLimit', store: 'pg', skipped: 'no /usr/lib/postgresql/15/bin' }));
    return;
  }
  const cluster = startCluster();
  try {
    await bench('pg', cluster.url, 1_000_000);
  } finally {
    cluster.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
