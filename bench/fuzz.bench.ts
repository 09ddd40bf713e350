import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fuzz, fuzzCases, type FuzzReport } from '../server/src/http/fuzz';
import { startService } from '../server/src/service';
import { hasPostgres, startCluster } from '../server/src/store/pgCluster';

// The long form of the seeded fuzz suite (issue 12): BENCH_FUZZ_CASES bodies per round (default 5,000; four rounds) on a SQLite file,
// again after a restart on the same file (names stored before must not break later batches), and on PostgreSQL.
// Goal: 0 answers >= 500 and nothing stored from a rejected batch, the same on both stores.
const CASES = Number(process.env.BENCH_FUZZ_CASES ?? 5_000);

function line(store: string, phase: string, r: FuzzReport, ms: number) {
  console.log(
    JSON.stringify({
      bench: 'fuzz',
      store,
      phase,
      sent: r.sent,
      by_status: r.byStatus,
      errors_5xx: r.errors.length,
      leaks: r.leaks.length,
      seconds: Math.round(ms / 100) / 10,
      goal_errors_5xx: 0,
    })
  );
  for (const e of r.errors.slice(0, 5)) {
    console.error(`5xx: ${e.status} ${e.what.slice(0, 200)} -> ${e.reply}`);
  }
  for (const l of r.leaks.slice(0, 5)) {
    console.error(`stored from a rejected batch: ${l.slice(0, 200)}`);
  }
}

async function round(db: string, store: string, phase: string, seed: number) {
  const svc = await startService({ db });
  try {
    const t = performance.now();
    const r = await fuzz(svc, fuzzCases(seed, CASES, Date.now()));
    line(store, phase, r, performance.now() - t);
  } finally {
    await svc.close();
  }
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-fuzz-'));
  try {
    const file = path.join(dir, 'fuzz.db');
    await round(file, 'sqlite', 'fresh', 1);
    await round(file, 'sqlite', 'after_restart', 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (hasPostgres()) {
    const cluster = startCluster();
    try {
      await round(cluster.url, 'postgres', 'fresh', 1);
      await round(cluster.url, 'postgres', 'after_restart', 2);
    } finally {
      cluster.stop();
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
