/** @jest-environment node */
// A real Prometheus scraping the real service (demo pipeline, API key on), as in the compose stack: /metrics and
// the demo's vLLM and dcgm-exporter endpoints; the bearer key from a credentials file gets through, a wrong key
// does not, every alert rule loads and evaluates, and each alert signal returns series from what was scraped.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, load } from 'js-yaml';
import { ALERT_RULES } from '../dashboards/src/alerts';
import { toolAvailable } from './tools';

const ROOT = join(__dirname, '..');
const KEY = 'prometheus-test-key';
const available = toolAvailable({ bin: 'prometheus', install: 'apt-get install -y prometheus (Debian)' });
const maybe = available ? describe : describe.skip;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v !== undefined) {
        return v;
      }
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

interface Target {
  labels: { job: string };
  health: string;
  lastError: string;
}

maybe('Prometheus scraping the service (real binaries)', () => {
  let service: { url: string; seeded: Promise<void>; close(): Promise<void> } | undefined;
  let prometheus: ChildProcess | undefined;
  let prom = '';
  let log = '';

  beforeAll(async () => {
    const { startService } = await import('../server/src/service');
    service = await startService({ demo: true, port: 0, db: ':memory:', apiKey: KEY });
    await service.seeded;
    const target = new URL(service.url).host;

    // prometheus/prometheus.yml with the container paths and addresses mapped to this machine, scraping fast.
    const dir = mkdtempSync(join(tmpdir(), 'rlhf-prometheus-'));
    writeFileSync(join(dir, 'api_key'), KEY);
    writeFileSync(join(dir, 'wrong_key'), 'not-the-key');
    // The rules as committed, evaluated every second instead of every minute so the test need not wait.
    const rules = readFileSync(join(ROOT, 'prometheus/rules.yml'), 'utf8');
    expect(rules).toContain('interval: 1m');
    writeFileSync(join(dir, 'rules.yml'), rules.replace('interval: 1m', 'interval: 1s'));
    const config = load(readFileSync(join(ROOT, 'prometheus/prometheus.yml'), 'utf8')) as {
      global: Record<string, string>;
      rule_files: string[];
      scrape_configs: Array<Record<string, any>>;
    };
    config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
    config.rule_files = [join(dir, 'rules.yml')];
    // Every job of the service (its /metrics and the demo exporters) at the service just started.
    const jobs = config.scrape_configs.filter((j) => j.authorization?.credentials_file === '/run/rlhf/api_key');
    expect(jobs.map((j) => j.job_name).sort()).toEqual(['dcgm', 'rlhf-monitor', 'vllm']);
    for (const j of jobs) {
      j.scrape_interval = '1s';
      j.authorization.credentials_file = join(dir, 'api_key');
      j.static_configs = [{ targets: [target] }];
    }
    const job = jobs.find((j) => j.job_name === 'rlhf-monitor')!;
    const wrong = JSON.parse(JSON.stringify(job));
    wrong.job_name = 'rlhf-monitor-wrong-key';
    wrong.authorization.credentials_file = join(dir, 'wrong_key');
    config.scrape_configs = [...jobs, wrong];
    writeFileSync(join(dir, 'prometheus.yml'), dump(config));

    const port = await freePort();
    prom = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    prometheus.stdout?.on('data', (b) => (log += String(b)));
    prometheus.stderr?.on('data', (b) => (log += String(b)));
    // Every job scraped at least once (the wrong-key job fails, which is what we want to see).
    await until('every scrape job to report', async () => {
      const r = (await (await fetch(`${prom}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
      const t = r.data.activeTargets;
      return t.length === 4 && t.every((x) => x.health !== 'unknown') ? t : undefined;
    });
    // rate() and histogram_quantile() need two samples in their window: wait for a few scrapes of vLLM.
    await until('five vLLM scrapes', async () => {
      const q = encodeURIComponent('count_over_time(vllm:num_requests_running[1m])');
      const r = (await (await fetch(`${prom}/api/v1/query?query=${q}`)).json()) as {
        data: { result: Array<{ value: [number, string] }> };
      };
      return Number(r.data.result[0]?.value[1] ?? 0) >= 5 ? true : undefined;
    });
  }, 120_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await service?.close();
  });

  async function instant(query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const r = (await (await fetch(`${prom}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    expect(r.error).toBeUndefined();
    expect(r.status).toBe('success');
    return r.data.result;
  }

  it('scrapes /metrics with the bearer key from the credentials file; a wrong key gets 401', async () => {
    const r = (await (await fetch(`${prom}/api/v1/targets`)).json()) as { data: { activeTargets: Target[] } };
    const byJob = Object.fromEntries(r.data.activeTargets.map((t) => [t.labels.job, t]));
    expect(byJob['rlhf-monitor']).toMatchObject({ health: 'up', lastError: '' });
    expect(byJob.vllm).toMatchObject({ health: 'up', lastError: '' });
    expect(byJob.dcgm).toMatchObject({ health: 'up', lastError: '' });
    expect(byJob['rlhf-monitor-wrong-key'].health).toBe('down');
    expect(byJob['rlhf-monitor-wrong-key'].lastError).toContain('401');
  });

  it('loads every alert rule and evaluates it without errors', async () => {
    const r = await until('the rules to be evaluated', async () => {
      const body = (await (await fetch(`${prom}/api/v1/rules`)).json()) as {
        data: {
          groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation: string }> }>;
        };
      };
      const rules = body.data.groups.flatMap((g) => g.rules);
      return rules.length && rules.every((x) => !x.lastEvaluation.startsWith('0001')) ? rules : undefined;
    });
    expect(r.map((x) => x.name).sort()).toEqual(ALERT_RULES.map((a) => a.alert).sort());
    expect(r.filter((x) => x.health !== 'ok').map((x) => `${x.name}: ${x.lastError}`)).toEqual([]);
  }, 60_000);

  it.each(ALERT_RULES.map((a) => [a.uid, a] as const))(
    '%s: the signal (Grafana query A) returns series from the service',
    async (_uid, rule) => {
      const result = await instant(rule.signal);
      if (rule.uid === 'rlhf-service-down' || rule.uid === 'vllm-target-down') {
        expect(result.map((s) => s.value[1])).toEqual(['1']);
        return;
      }
      if (rule.uid === 'vllm-queue-growing') {
        // Quiet by design while the demo's queue is not growing; its input exists.
        expect((await instant('vllm:num_requests_waiting{job="vllm"}')).length).toBeGreaterThan(0);
        return;
      }
      expect(result.length).toBeGreaterThan(0);
      for (const s of result) {
        expect(Number.isFinite(Number(s.value[1]))).toBe(true);
      }
    },
    30_000
  );

  it('the demo run that is still training has a recent update (the stalled rule stays quiet)', async () => {
    const stalled = ALERT_RULES.find((a) => a.uid === 'rlhf-training-stalled')!;
    const ages = await instant(stalled.signal);
    expect(ages.map((s) => s.metric.run)).toContain('ppo-llama3-8b');
    for (const s of ages) {
      expect(Number(s.value[1])).toBeLessThan(stalled.threshold);
    }
  });

  it('Prometheus logs no rule or configuration error', () => {
    expect(log).not.toMatch(/level=error.*(rule|config)/i);
  });
});
