import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDb } from '../http/testing';
import { startService, type Service } from '../service';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '../../..');
const BIN = path.join(__dirname, '../../bin/rlhf-monitor.js');
const TRAINER_STATE = path.join(__dirname, '../../testdata/trainer_state_qwen05_verifier.json');

describe('rlhf-monitor CLI', () => {
  const db = tempDb();
  let svc: Service;
  beforeAll(async () => {
    svc = await startService({ db: db.file, apiKey: 'cli-key' });
  });
  afterAll(async () => {
    await svc.close();
    db.cleanup();
  });

  it('runs the README command as written (npx in the repository), with the key from the environment', async () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const documented = /^npx rlhf-monitor import trainer-state (\S+) --run (\S+) --url (\S+)$/m.exec(readme);
    expect(documented).not.toBeNull();
    const [line, file, , url] = documented!;
    const command = line
      .replace(file, TRAINER_STATE)
      .replace(url, svc.url)
      .replace(/--run \S+/, '--run qwen');
    const { stdout } = await run('sh', ['-c', command], {
      cwd: ROOT,
      env: { ...process.env, RLHF_API_KEY: 'cli-key' },
    });
    expect(stdout).toContain('imported 133 records');
    expect(await svc.store.catalog('runs')).toEqual(['qwen']);
    const [loss] = await svc.store.series({ runs: 'qwen', metrics: 'loss', range: { from: 0, to: Date.now() } });
    expect(loss.points.length).toBeGreaterThan(0);
  });

  it('imports NDJSON in batches and reports a bad line by its file line number', async () => {
    const file = path.join(path.dirname(db.file), 'records.ndjson');
    const good = Array.from({ length: 25 }, (_, i) =>
      JSON.stringify({ kind: 'sample', feature: 'f', source: 's', value: i })
    );
    fs.writeFileSync(file, good.join('\n') + '\n');
    const { stdout } = await run(process.execPath, [
      BIN,
      'import',
      'ndjson',
      file,
      '--url',
      svc.url,
      '--key',
      'cli-key',
      '--batch',
      '10',
    ]);
    expect(stdout).toContain('imported 25 records');

    fs.writeFileSync(file, [...good.slice(0, 12), '{"kind":"sample","feature":"f"}'].join('\n'));
    const err = await run(process.execPath, [
      BIN,
      'import',
      'ndjson',
      file,
      '--url',
      svc.url,
      '--key',
      'cli-key',
      '--batch',
      '10',
    ]).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/400: line 13: field "source" is required/);
    expect(err.stderr).toMatch(/10 records before line 11 were stored/);
  });

  it('says clearly when the key is wrong or the service unreachable', async () => {
    const wrong = await run(process.execPath, [
      BIN,
      'import',
      'trainer-state',
      TRAINER_STATE,
      '--run',
      'x',
      '--url',
      svc.url,
      '--key',
      'nope',
    ]).catch((e) => e);
    expect(wrong.stderr).toMatch(/401: wrong API key/);
    const down = await run(process.execPath, [
      BIN,
      'import',
      'trainer-state',
      TRAINER_STATE,
      '--run',
      'x',
      '--url',
      'http://127.0.0.1:1',
    ]).catch((e) => e);
    expect(down.stderr).toMatch(/cannot reach http:\/\/127.0.0.1:1/);
  });
});
