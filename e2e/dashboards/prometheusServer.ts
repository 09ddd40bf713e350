// A real Prometheus (the Debian package's binary) for the browser proof: prometheus/prometheus.yml and the
// committed rules with the compose addresses mapped to the service under test, scraping every second, from a
// temp dir on a free loopback port. The dashboards' Prometheus panels query it through the harness's
// data-source proxy, as Grafana's would.
import { type ChildProcess, spawn, spawnSync } from 'child_process';
import fs from 'fs';
import yaml from 'js-yaml';
import net from 'net';
import os from 'os';
import path from 'path';
import { dcgmExposition } from '../../server/src/demo/exporters/dcgm';
import { VllmExporter } from '../../server/src/demo/exporters/vllm';

export const PROMETHEUS_BIN = process.env.RLHF_PROMETHEUS_BIN ?? 'prometheus';

export function prometheusInstalled(): boolean {
  return spawnSync(PROMETHEUS_BIN, ['--version']).status === 0;
}

export interface RunningPrometheus {
  url: string;
  /** Resolves once every job is up and vLLM has been scraped `samples` times. */
  ready(samples?: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface Config {
  global?: Record<string, string>;
  rule_files?: string[];
  scrape_configs: Array<Record<string, any>>;
}

/**
 * The last `minutes` of the demo's vLLM and dcgm-exporter endpoints as OpenMetrics (one scrape every 15 s, the
 * labels Prometheus adds), for `promtool tsdb create-blocks-from openmetrics`: Prometheus then has a history to
 * draw, as one that had been scraping for a while would, and the live scrapes continue it (counters restart at
 * the join, which rate() treats as the exporter restart it is).
 */
export function demoHistory(o: { now: number; storyStart: number; instance: string; minutes: number }): string {
  const from = o.now - o.minutes * 60_000;
  const vllm = new VllmExporter(() => o.storyStart, from);
  const bySample = new Map<string, string[]>();
  for (let t = from + 15_000; t < o.now - 2_000; t += 15_000) {
    const scrapes = [
      { job: 'vllm', text: vllm.scrape(t) },
      { job: 'dcgm', text: dcgmExposition(t, t - o.storyStart) },
    ];
    for (const { job, text } of scrapes) {
      for (const line of text.split('\n')) {
        const m = /^([^#\s{]+)(?:\{(.*)\})? (\S+)$/.exec(line);
        if (m) {
          const labels = [`job="${job}"`, `instance="${o.instance}"`, ...(m[2] ? [m[2]] : [])].join(',');
          const out = bySample.get(m[1]) ?? [];
          out.push(`${m[1]}{${labels}} ${m[3]} ${(t / 1000).toFixed(3)}`);
          bySample.set(m[1], out);
        }
      }
    }
  }
  // OpenMetrics wants each family's samples together; as untyped families every sample name is its own family.
  const families = [...bySample.entries()].map(([name, lines]) => `# TYPE ${name} unknown\n${lines.join('\n')}`);
  return `${families.join('\n')}\n# EOF\n`;
}

/** Starts Prometheus against the service at `serviceUrl` (with its API key); `root` is the repository. */
export async function startPrometheus(o: {
  root: string;
  serviceUrl: string;
  apiKey: string;
  /** Minutes of demo exporter history to backfill before starting (none without). */
  history?: { minutes: number; storyStart: number };
}): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-e2e-prometheus-'));
  const keyFile = path.join(dir, 'api_key');
  fs.writeFileSync(keyFile, o.apiKey, { mode: 0o600 });
  const rules = fs.readFileSync(path.join(o.root, 'prometheus/rules.yml'), 'utf8');
  // Evaluated every second, so `pending` shows within the test instead of after a minute.
  fs.writeFileSync(path.join(dir, 'rules.yml'), rules.replace(/interval: 1m/g, 'interval: 1s'));
  const config = yaml.load(fs.readFileSync(path.join(o.root, 'prometheus/prometheus.yml'), 'utf8')) as Config;
  const target = new URL(o.serviceUrl).host;
  config.global = { scrape_interval: '1s', evaluation_interval: '1s' };
  config.rule_files = [path.join(dir, 'rules.yml')];
  // The jobs that scrape the service (/metrics and the demo exporters), at the service under test.
  config.scrape_configs = config.scrape_configs
    .filter((j) => j.authorization?.credentials_file === '/run/rlhf/api_key')
    .map((j) => ({
      ...j,
      scrape_interval: '1s',
      authorization: { ...j.authorization, credentials_file: keyFile },
      static_configs: [{ targets: [target] }],
    }));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), yaml.dump(config));

  if (o.history?.minutes) {
    const file = path.join(dir, 'history.om');
    const now = Date.now();
    fs.writeFileSync(
      file,
      demoHistory({ now, storyStart: o.history.storyStart, instance: target, minutes: o.history.minutes })
    );
    const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '-q', file, path.join(dir, 'data')], {
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      throw new Error(`promtool backfill failed (${r.status}): ${r.stderr}${r.stdout}`);
    }
    fs.rmSync(file);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  child.stdout?.on('data', (b) => (log = (log + String(b)).slice(-20_000)));
  child.stderr?.on('data', (b) => (log = (log + String(b)).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  async function instant(query: string): Promise<Array<{ value: [number, string] }>> {
    const r = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as {
      data: { result: Array<{ value: [number, string] }> };
    };
    return r.data.result;
  }

  return {
    url,
    async ready(samples = 30, timeoutMs = 90_000) {
      const end = Date.now() + timeoutMs;
      const jobs = config.scrape_configs.length;
      let last = '';
      while (Date.now() < end) {
        if (child.exitCode !== null) {
          throw new Error(`prometheus exited (${child.exitCode}):\n${log}`);
        }
        try {
          const up = await instant('up');
          const scraped = await instant('count_over_time(vllm:num_requests_running[5m])');
          last = `up ${up.map((u) => u.value[1]).join(',')}, vLLM samples ${scraped[0]?.value[1] ?? 0}`;
          if (
            up.length === jobs &&
            up.every((u) => u.value[1] === '1') &&
            Number(scraped[0]?.value[1] ?? 0) >= samples
          ) {
            return;
          }
        } catch (e) {
          last = String(e);
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error(`Prometheus at ${url} not ready after ${timeoutMs} ms (${last}):\n${log}`);
    },
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
