import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { tempDb } from '../http/testing';
import type { Migration } from './migrate';
import { PG_MIGRATIONS } from './pgSchema';
import { hasPostgres, startCluster } from './pgCluster';
import { PostgresStore } from './postgres';
import { SqliteStore } from './sqlite';
import { SQLITE_MIGRATIONS } from './sqliteSchema';
import type { Store } from './types';

const FIXTURE = path.join(__dirname, '../../testdata/v0');
const LATEST = SQLITE_MIGRATIONS.length;
const T0 = Date.UTC(2026, 10, 1);

/** The same read-back calls as testdata/v0/make-fixture.ts, through JSON like its output. */
async function readBack(r: Store) {
  const range = { from: T0 - 1, to: T0 + 10 * 86400000 };
  return JSON.parse(
    JSON.stringify({
      counts: await r.counts(),
      series: await r.series({ range }),
      annotations: await r.annotations({ dataset: 'prefs', range }),
      predictions: await r.predictions({ model: '*', range }),
      samplesLength: await r.samples({ feature: 'length', source: 'training', range }),
      samplesTopic: await r.samples({ feature: 'topic', source: 'production', range }),
      events: await r.events({ range }),
      runs: await r.catalog('runs'),
    })
  );
}

/** Tables' columns in order, and every index, of a SQLite file: its layout. */
function layout(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all() as string[];
    return {
      version: db.pragma('user_version', { simple: true }),
      tables: Object.fromEntries(
        tables.map((t) => [
          t,
          (db.pragma(`table_info(${t})`) as Array<{ name: string; type: string }>).map((c) => `${c.name} ${c.type}`),
        ])
      ),
      indexes: db.prepare("SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name").all(),
    };
  } finally {
    db.close();
  }
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('SQLite schema versions', () => {
  const tmp = tempDb();
  const dir = path.dirname(tmp.file);
  afterAll(() => tmp.cleanup());
  let n = 0;
  const copyFixture = () => {
    const file = path.join(dir, `v0-${n++}.db`);
    fs.copyFileSync(path.join(FIXTURE, 'store-v0.db'), file);
    return file;
  };
  const currentLayout = async () => {
    const file = path.join(dir, `fresh-${n++}.db`);
    await new SqliteStore(file).close();
    return layout(file);
  };

  it('migrates a file written before versions, reads it back exactly, and gives it the current layout', async () => {
    const file = copyFixture();
    expect(layout(file).version).toBe(0);
    const store = new SqliteStore(file);
    expect(await readBack(store)).toEqual(
      JSON.parse(fs.readFileSync(path.join(FIXTURE, 'store-v0.expected.json'), 'utf8'))
    );
    await store.close();
    expect(layout(file)).toEqual(await currentLayout());
    // and it keeps taking appends, replacing a repeated step of the migrated series
    const again = new SqliteStore(file);
    await again.insert([
      { kind: 'metric', run: 'ppo-1', name: 'loss', value: 42, step: 7, ts: T0 + 7000, phase: 'training', labels: {} },
    ]);
    const [loss] = await again.series({ runs: 'ppo-1', range: { from: T0, to: T0 + 10_000 } });
    expect(loss.points.filter((p) => p.step === 7)).toEqual([{ ts: T0 + 7000, step: 7, value: 42 }]);
    expect((await again.counts()).metric).toBe(2510);
    await again.close();
  });

  it('migrates the older chunk layout (blob before the summary columns) to the current one', async () => {
    const file = path.join(dir, `old-layout-${n++}.db`);
    const fresh = new SqliteStore(path.join(dir, `src-${n++}.db`));
    const pts = Array.from({ length: 1500 }, (_, i) => ({
      kind: 'metric' as const,
      run: 'r',
      name: 'm',
      value: Math.sin(i),
      step: i,
      ts: T0 + i,
      phase: 'training' as const,
      labels: {},
    }));
    await fresh.insert(pts);
    const want = await fresh.series({ range: { from: T0, to: T0 + 2000 } });
    await fresh.close();
    // The chunks table as it was before the summaries moved ahead of the blob (git show adb3448^).
    const db = new Database(file);
    SQLITE_MIGRATIONS[0].up(db);
    db.exec(`DROP TABLE chunks;
CREATE TABLE chunks (
  id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, n INTEGER NOT NULL, ts_min INTEGER NOT NULL, ts_max INTEGER NOT NULL,
  data BLOB NOT NULL, f_step, f_v REAL, l_step, l_v REAL,
  mn_ts INTEGER, mn_step, mn_v REAL, mx_ts INTEGER, mx_step, mx_v REAL);
CREATE INDEX chunks_series_ts ON chunks (series_id, ts_max);`);
    db.prepare("INSERT INTO series (id, run, name, phase, labels) VALUES (1, 'r', 'm', 'training', '{}')").run();
    const { encode, summarise } = await import('./chunks');
    const c = { ts: pts.map((p) => p.ts), step: pts.map((p) => p.step), value: pts.map((p) => p.value) };
    for (const [from, to] of [
      [0, 1024],
      [1024, 1500],
    ]) {
      const s = summarise(c, from, to);
      db.prepare(
        `INSERT INTO chunks (series_id, n, ts_min, ts_max, data, f_step, f_v, l_step, l_v, mn_ts, mn_step, mn_v, mx_ts, mx_step, mx_v)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      ).run(
        s.n,
        s.tsMin,
        s.tsMax,
        encode(c, from, to),
        s.first[1],
        s.first[2],
        s.last[1],
        s.last[2],
        ...s.min,
        ...s.max
      );
    }
    db.close();
    expect(layout(file).tables.chunks.indexOf('data BLOB')).toBe(5);

    const store = new SqliteStore(file);
    expect(await store.series({ range: { from: T0, to: T0 + 2000 } })).toEqual(want);
    await store.close();
    expect(layout(file)).toEqual(await currentLayout());
  });

  it('refuses a file of a newer version, naming both versions, and leaves it unmodified', async () => {
    const file = path.join(dir, `newer-${n++}.db`);
    const db = new Database(file);
    db.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1)');
    db.pragma(`user_version = ${LATEST + 7}`);
    db.close();
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(file, past, past);
    const [hash, mtime] = [sha(file), fs.statSync(file).mtimeMs];
    expect(() => new SqliteStore(file)).toThrow(
      new RegExp(`schema version ${LATEST + 7}, but this service knows versions up to ${LATEST}`)
    );
    expect(sha(file)).toBe(hash);
    expect(fs.statSync(file).mtimeMs).toBe(mtime);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith(path.basename(file)))).toEqual([path.basename(file)]);
  });

  it('leaves the file as it was when a migration fails', async () => {
    const file = copyFixture();
    const before = sha(file);
    const failing: Migration<Database.Database> = {
      version: LATEST + 1,
      name: 'fails half way',
      up(db) {
        db.exec('CREATE TABLE half (x); DELETE FROM annotations');
        throw new Error('injected failure');
      },
    };
    expect(() => new SqliteStore(file, { migrations: [...SQLITE_MIGRATIONS, failing] })).toThrow('injected failure');
    expect(sha(file)).toBe(before);
    expect(layout(file).version).toBe(0);
    // and the real migrations still take it afterwards
    const store = new SqliteStore(file);
    expect((await store.counts()).annotation).toBe(30);
    await store.close();
  });
});

if (hasPostgres()) {
  describe('PostgreSQL schema versions', () => {
    let cluster: ReturnType<typeof startCluster>;
    beforeAll(() => {
      cluster = startCluster();
    });
    afterAll(() => cluster.stop());
    const sql = async <T>(f: (c: Client) => Promise<T>) => {
      const c = new Client({ connectionString: cluster.url });
      await c.connect();
      try {
        return await f(c);
      } finally {
        await c.end();
      }
    };

    it('migrates a database made by the DDL before versions, repeats collapsed, plots from rollups', async () => {
      await sql(async (c) => {
        // What earlier releases created (the baseline) and wrote: one series, a point sent twice, an annotation twice.
        await PG_MIGRATIONS[0].up(c as never);
        await c.query("INSERT INTO series (run, name, phase, labels) VALUES ('ppo', 'loss', 'training', '{}')");
        await c.query(
          `INSERT INTO points SELECT 1, ${T0} + i * 1000, i, i % 7 FROM generate_series(0, 99999) i
           UNION ALL SELECT 1, ${T0} + 5000, 5, 99`
        );
        await c.query(
          `INSERT INTO annotations VALUES ('d', 'i', 'a', 'A', NULL, ${T0}), ('d', 'i', 'a', 'B', NULL, ${T0 + 1})`
        );
      });
      const store = await PostgresStore.connect(cluster.url);
      try {
        expect(await store.counts()).toMatchObject({ metric: 100_000, annotation: 1 });
        expect((await store.annotations({ dataset: 'd', range: { from: T0, to: T0 + 10 } }))[0].label).toBe('B');
        const range = { from: T0, to: T0 + 100_000 * 1000 };
        const [plot] = await store.seriesForPlot({ runs: 'ppo', range }, 500);
        const [all] = await store.series({ runs: 'ppo', range });
        expect(all.points.filter((p) => p.step === 5)).toHaveLength(1);
        // from rollups: far fewer than all points, yet the extremes of every part are there
        expect(plot.points.length).toBeLessThan(all.points.length / 10);
        expect(plot.points.length).toBeGreaterThanOrEqual(500);
        const real = new Set(all.points.map((p) => JSON.stringify(p)));
        expect(plot.points.filter((p) => !real.has(JSON.stringify(p)))).toEqual([]);
        expect(Math.max(...plot.points.map((p) => p.value))).toBe(Math.max(...all.points.map((p) => p.value)));
        expect(plot.points[0]).toEqual(all.points[0]);
        expect(plot.points.at(-1)).toEqual(all.points.at(-1));
      } finally {
        await store.close();
      }
      expect(await sql(async (c) => (await c.query('SELECT version FROM schema_version')).rows)).toEqual([
        { version: PG_MIGRATIONS.length },
      ]);
    });

    it('refuses a newer database and leaves a failed migration undone', async () => {
      const failing: Migration<never> = {
        version: PG_MIGRATIONS.length + 1,
        name: 'fails',
        async up(c: { query(s: string): Promise<unknown> }) {
          await c.query('CREATE TABLE half (x int)');
          throw new Error('injected failure');
        },
      };
      await expect(
        PostgresStore.connect(cluster.url, { migrations: [...PG_MIGRATIONS, failing] as never })
      ).rejects.toThrow('injected failure');
      expect(
        await sql(async (c) => [
          (await c.query('SELECT version FROM schema_version')).rows[0].version,
          (await c.query("SELECT to_regclass('half') AS t")).rows[0].t,
        ])
      ).toEqual([PG_MIGRATIONS.length, null]);

      await sql((c) => c.query('UPDATE schema_version SET version = 99'));
      await expect(PostgresStore.connect(cluster.url)).rejects.toThrow(
        new RegExp(`schema version 99, but this service knows versions up to ${PG_MIGRATIONS.length}`)
      );
      expect(await sql(async (c) => (await c.query('SELECT version FROM schema_version')).rows)).toEqual([
        { version: 99 },
      ]);
    });
  });
}
