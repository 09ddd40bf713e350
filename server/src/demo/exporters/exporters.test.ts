/** @jest-environment node */
// The demo's vLLM and dcgm-exporter endpoints: real exposition (promtool parses it; its only lint findings are
// the real exporters' own naming: `vllm:` colons, dcgm-exporter's camelCase labels), the reference names, types,
// HELP and buckets, the demo story (the incident shows as errors and latency past the SLO; the PPO run's GPUs are
// busy), counters that restart from zero, and the same auth as /metrics.
import { spawnSync } from 'node:child_process';
import { startService } from '../../service';
import { DAY, HOUR, MINUTE, TIMELINE } from '../timeline';
import { dcgmExposition, DEMO_HOSTS, gpuStates } from './dcgm';
import { lognormalCdf, normalCdf } from './exposition';
import {
  buckets125,
  DCGM_LABELS,
  DCGM_METRICS,
  VLLM_HTTP_METRICS,
  VLLM_METRICS,
  VLLM_REQUEST_LATENCY_BUCKETS,
} from './reference';
import { DCGM_DEMO_PATH, VLLM_DEMO_PATH } from './routes';
import { VllmExporter } from './vllm';

interface Family {
  type: string;
  help: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

/** A small parser of the text format, enough to read back what the exporters wrote. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const line of text.split('\n').filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP (\S+) (.*)$/.exec(line))) {
      current = { type: '', help: m[2], samples: [] };
      families.set(m[1], current);
    } else if ((m = /^# TYPE (\S+) (\S+)$/.exec(line))) {
      families.get(m[1])!.type = m[2];
    } else if ((m = /^([^{\s]+)(?:\{(.*)\})? (\S+)$/.exec(line))) {
      const labels = Object.fromEntries(
        [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]])
      );
      current!.samples.push({ name: m[1], labels, value: Number(m[3]) });
    } else {
      throw new Error(`unparsable line: ${line}`);
    }
  }
  return families;
}

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool && process.env.CI === 'true') {
  throw new Error('promtool is missing: .ci/run installs it (apt-get install prometheus)');
}
const withPromtool = hasPromtool ? it : it.skip;

function promtoolCheck(text: string): { status: number | null; findings: string[] } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  const findings = `${r.stdout}${r.stderr}`.split('\n').filter(Boolean);
  return { status: r.status, findings };
}

const START = Date.UTC(2026, 0, 5, 0, 0, 0);

/** Scrape a fresh vLLM exporter over [from, to] (ms after the story start) and return its last exposition. */
function vllmBetween(from: number, to: number): Map<string, Family> {
  const e = new VllmExporter(() => START, START + from);
  e.scrape(START + (from + to) / 2);
  return parseExposition(e.scrape(START + to));
}

function value(f: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = [...f.values()].find((x) => x.samples.some((s) => s.name === name));
  const hits = (family?.samples ?? []).filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  );
  return hits.reduce((a, s) => a + s.value, 0);
}

/** Share of requests slower than `le` seconds, from the cumulative buckets. */
function slowerThan(f: Map<string, Family>, histogram: string, le: string, labels: Record<string, string>): number {
  const count = value(f, `${histogram}_count`, labels);
  return 1 - value(f, `${histogram}_bucket`, { ...labels, le }) / count;
}

describe('the statistics behind the simulated histograms', () => {
  it('normalCdf matches the standard normal table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.6449)).toBeCloseTo(0.95, 4);
    expect(normalCdf(2.3263)).toBeCloseTo(0.99, 4);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 5);
  });
  it('lognormalCdf is 0.5 at the median', () => {
    expect(lognormalCdf(0.2, 0.2, 0.5)).toBeCloseTo(0.5, 7);
    expect(lognormalCdf(0, 0.2, 0.5)).toBe(0);
  });
  it("buckets125 is vLLM's build_1_2_5_buckets", () => {
    expect(buckets125(100)).toEqual([1, 2, 5, 10, 20, 50, 100]);
    expect(buckets125(8192).at(-1)).toBe(5000);
  });
});

describe('vLLM exporter', () => {
  const quiet = vllmBetween(7 * DAY - 30 * MINUTE, 7 * DAY);
  const incident = vllmBetween(TIMELINE.incidentAt + 5 * MINUTE, TIMELINE.incidentAt + 35 * MINUTE);
  const v2 = { model_name: 'rlhf-policy-v2' };

  it("exposes the reference families with vLLM's types, HELP and label names", () => {
    const reference = new Map([...VLLM_METRICS, ...VLLM_HTTP_METRICS].map((m) => [m.name, m]));
    expect(quiet.size).toBeGreaterThan(15);
    for (const [name, f] of quiet) {
      const ref = reference.get(name);
      expect({ name, type: f.type, help: f.help }).toEqual({ name, type: ref?.type, help: ref?.help });
      for (const s of f.samples) {
        const extra = name.startsWith('http_') ? [] : ['model_name', 'engine'];
        const le = s.name.endsWith('_bucket') ? ['le'] : [];
        expect(Object.keys(s.labels).sort()).toEqual([...extra, ...(ref?.labels ?? []), ...le].sort());
      }
    }
  });

  it("uses vLLM's request-latency bucket boundaries, cumulative counts and +Inf = count", () => {
    const buckets = quiet.get('vllm:e2e_request_latency_seconds')!.samples.filter((s) => s.name.endsWith('_bucket'));
    const les = buckets.filter((s) => s.labels.model_name === v2.model_name).map((s) => s.labels.le);
    expect(les).toEqual([...VLLM_REQUEST_LATENCY_BUCKETS.map((b) => b.toFixed(1)), '+Inf']);
    const counts = buckets.filter((s) => s.labels.model_name === v2.model_name).map((s) => s.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts.at(-1)).toBe(value(quiet, 'vllm:e2e_request_latency_seconds_count', v2));
    expect(counts.at(-1)).toBeGreaterThan(10_000);
  });

  it('the serving incident: 5xx above 2% and p99 end-to-end latency over the 2 s SLO; a quiet hour is within both', () => {
    const errorRatio = (f: Map<string, Family>) =>
      value(f, 'http_requests_total', { status: '5xx' }) / value(f, 'http_requests_total');
    expect(errorRatio(incident)).toBeGreaterThan(0.06);
    expect(errorRatio(quiet)).toBeLessThan(0.005);
    expect(slowerThan(incident, 'vllm:e2e_request_latency_seconds', '2.0', v2)).toBeGreaterThan(0.01);
    expect(slowerThan(quiet, 'vllm:e2e_request_latency_seconds', '2.0', v2)).toBeLessThan(0.01);
    expect(slowerThan(incident, 'vllm:time_to_first_token_seconds', '1.0', v2)).toBeGreaterThan(0.05);
    expect(value(incident, 'vllm:kv_cache_usage_perc', v2)).toBeGreaterThan(0.95);
    expect(value(quiet, 'vllm:kv_cache_usage_perc', v2)).toBeLessThan(0.9);
  });

  it('during the canary both versions serve; before it only v1; counters start at zero in a new exporter', () => {
    const canary = vllmBetween(TIMELINE.canaryStart + HOUR, TIMELINE.canaryStart + 2 * HOUR);
    const models = new Set(canary.get('vllm:num_requests_running')!.samples.map((s) => s.labels.model_name));
    expect([...models].sort()).toEqual(['rlhf-policy-v1', 'rlhf-policy-v2']);
    const v1Share =
      value(canary, 'vllm:e2e_request_latency_seconds_count', { model_name: 'rlhf-policy-v1' }) /
      value(canary, 'vllm:e2e_request_latency_seconds_count');
    expect(v1Share).toBeCloseTo(0.9, 1);
    const early = vllmBetween(DAY, DAY + 10 * MINUTE);
    expect(new Set(early.get('vllm:num_requests_running')!.samples.map((s) => s.labels.model_name))).toEqual(
      new Set(['rlhf-policy-v1'])
    );
    // A new exporter (a restarted server) counts from zero: 10 minutes hold far fewer requests than an hour.
    expect(value(early, 'vllm:e2e_request_latency_seconds_count')).toBeLessThan(
      value(quiet, 'vllm:e2e_request_latency_seconds_count') / 2
    );
  });

  withPromtool('promtool check metrics parses it; the only lint finding is the `vllm:` colon of the real names', () => {
    const e = new VllmExporter(() => START, START + 6 * DAY);
    const r = promtoolCheck(e.scrape(START + 6 * DAY + 5 * MINUTE));
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.filter((l) => !/^vllm:\S+ metric names should not contain ':'$/.test(l))).toEqual([]);
    // A broken exposition is caught (the check can fail): a sample whose value is not a number.
    const broken = promtoolCheck(
      `${e.scrape(START + 6 * DAY + 6 * MINUTE)}vllm:num_requests_running{engine="0"} many\n`
    );
    expect(broken.findings.join('\n')).toMatch(/error while linting|parsing/);
  });
});

describe('dcgm-exporter', () => {
  const at = (rel: number) => parseExposition(dcgmExposition(START + rel, rel));

  it('exposes the reference gauges with the labels dcgm-exporter puts on every series', () => {
    const f = at(7 * DAY);
    const reference = new Map(DCGM_METRICS.map((m) => [m.name, m]));
    for (const [name, fam] of f) {
      expect({ name, type: fam.type, help: fam.help }).toEqual({
        name,
        type: reference.get(name)?.type,
        help: reference.get(name)?.help,
      });
      expect(fam.samples).toHaveLength(DEMO_HOSTS.reduce((a, h) => a + h.gpus, 0));
      for (const s of fam.samples) {
        expect(Object.keys(s.labels).sort()).toEqual([...DCGM_LABELS].sort());
      }
    }
    for (const name of [
      'DCGM_FI_DEV_GPU_UTIL',
      'DCGM_FI_DEV_FB_USED',
      'DCGM_FI_DEV_XID_ERRORS',
      'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    ]) {
      expect(f.has(name)).toBe(true);
    }
  });

  it("the story's GPUs: the PPO nodes busy on day 7, the finished DPO node idle, the hung job's GPUs idle with XID 79", () => {
    const util = (rel: number, host: string) =>
      gpuStates(START + rel, rel)
        .filter((g) => g.labels.Hostname === host)
        .map((g) => g.util);
    expect(Math.min(...util(7 * DAY, 'node-0'), ...util(7 * DAY, 'node-1'))).toBeGreaterThan(70);
    expect(Math.max(...util(7 * DAY, 'node-2'))).toBe(0);
    expect(Math.min(...util(2 * DAY, 'node-2'))).toBeGreaterThan(85);
    const stall = TIMELINE.ppoStallAt + 10 * MINUTE;
    expect(Math.max(...util(stall, 'node-0'), ...util(stall, 'node-1'))).toBe(0);
    const xids = gpuStates(START + stall, stall).filter((g) => g.xid > 0);
    expect(xids.map((g) => [g.labels.Hostname, g.labels.gpu, g.xid])).toEqual([['node-1', '3', 79]]);
    expect(gpuStates(START + 7 * DAY, 7 * DAY).every((g) => g.xid === 0)).toBe(true);
    // Serving GPUs are pegged during the incident.
    const incident = TIMELINE.incidentAt + 10 * MINUTE;
    expect(Math.min(...util(incident, 'serve-0'))).toBe(99);
  });

  withPromtool('promtool check metrics parses it; the only lint finding is dcgm-exporter’s camelCase labels', () => {
    const r = promtoolCheck(dcgmExposition(START + 7 * DAY, 7 * DAY));
    expect(r.findings.length).toBeGreaterThan(0);
    expect(
      r.findings.filter((l) => !/^DCGM_FI_\S+ label names should be written in 'snake_case' not 'camelCase'$/.test(l))
    ).toEqual([]);
  });
});

describe('routes', () => {
  it('with RLHF_DEMO both endpoints answer with the key like /metrics, 401 without; without the demo they do not exist', async () => {
    const s = await startService({ demo: true, port: 0, db: ':memory:', apiKey: 'exporter-key', logger: false });
    try {
      for (const path of [VLLM_DEMO_PATH, DCGM_DEMO_PATH]) {
        const ok = await fetch(`${s.url}${path}`, { headers: { authorization: 'Bearer exporter-key' } });
        expect(ok.status).toBe(200);
        expect(ok.headers.get('content-type')).toContain('text/plain; version=0.0.4');
        expect(parseExposition(await ok.text()).size).toBeGreaterThan(10);
        expect((await fetch(`${s.url}${path}`)).status).toBe(401);
      }
    } finally {
      await s.close();
    }
    const plain = await startService({ port: 0, db: ':memory:', logger: false });
    try {
      expect((await fetch(`${plain.url}${VLLM_DEMO_PATH}`)).status).toBe(404);
    } finally {
      await plain.close();
    }
  }, 60_000);
});
