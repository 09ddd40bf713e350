import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSimulator } from '../server/src/demo/simulator';
import { DAY } from '../server/src/demo/timeline';
import { startService } from '../server/src/service';

// The demo's seven-day seed: how many records, how long the pure simulation takes, and how long `npm start`
// on an empty SQLite file takes until the history is stored (through the ingest path).
async function main() {
  const now = Date.now();
  const t0 = performance.now();
  const records = createSimulator({ seed: 42, start: now - 7 * DAY }).advance(now);
  const simulateSeconds = (performance.now() - t0) / 1000;
  const byKind: Record<string, number> = {};
  for (const r of records) {
    byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-bench-'));
  try {
    const t1 = performance.now();
    const svc = await startService({ db: path.join(dir, 'demo.db'), demo: true });
    await svc.seeded;
    const seedSeconds = (performance.now() - t1) / 1000;
    const stored = Object.values(await svc.store.counts()).reduce((a, b) => a + b, 0);
    await svc.close();
    console.log(
      JSON.stringify({ bench: 'demo_seed_records', value: records.length, unit: 'records', by_kind: byKind })
    );
    console.log(JSON.stringify({ bench: 'demo_simulate_week', value: +simulateSeconds.toFixed(3), unit: 's' }));
    console.log(
      JSON.stringify({
        bench: 'demo_seed_seconds',
        value: +seedSeconds.toFixed(3),
        unit: 's',
        goal_s: 10,
        stored_records: stored,
      })
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
