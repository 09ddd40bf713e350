// The short form of the seeded fuzz suite (issue 12): 2,000 hostile bodies across ingest, the trainer-state
// importer and the query API. The long form (more seeds, PostgreSQL too) is bench/fuzz.bench.ts.
import { startService, type Service } from '../service';
import { fuzz, fuzzCases } from './fuzz';
import { tempDb } from './testing';

describe('seeded fuzz of ingest, importer and query (short form)', () => {
  const db = tempDb();
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ db: db.file });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('answers 2,000 hostile bodies without a 5xx, and stores nothing of a rejected batch', async () => {
    const report = await fuzz(svc, fuzzCases(2026, 2000, Date.now()));
    expect(report.errors).toEqual([]);
    expect(report.leaks).toEqual([]);
    expect(report.sent).toBe(2000);
    // The mutations reach both sides: some bodies are accepted, most of the rest rejected as 4xx.
    expect(report.byStatus[200]).toBeGreaterThan(300);
    expect((report.byStatus[400] ?? 0) + (report.byStatus[415] ?? 0)).toBeGreaterThan(500);
  }, 120_000);
});
