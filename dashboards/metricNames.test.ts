/** @jest-environment node */
// Every metric name in the dashboards' PromQL (panel targets and Prometheus variables) and in the alert rules is
// one the real exporters export (the lists read from vLLM's and dcgm-exporter's sources, with their versions, in
// server/src/demo/exporters/reference.ts), the service's own /metrics, or Prometheus' own (up, ALERTS); and every
// vLLM / DCGM name used is one the demo's exporters serve, so the demo draws every Prometheus panel.
import type { Panel } from '@grafana/schema';
import { ALERT_RULES } from './src/alerts';
import { buildDashboards } from './src/all';
import {
  DCGM_METRICS,
  DCGM_SOURCE,
  sampleNames,
  VLLM_HTTP_METRICS,
  VLLM_METRICS,
  VLLM_SOURCE,
} from '../server/src/demo/exporters/reference';

/** PromQL words that are not metric names. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
]);

/** Metric names a PromQL expression selects (label matchers, grouping lists, ranges and functions removed). */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^{}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  return [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)]
    .filter((m) => !m[2] && !KEYWORDS.has(m[1]))
    .map((m) => m[1]);
}

const dashboards = buildDashboards().map((d) => d.dashboard);
const panelExprs = dashboards.flatMap((d) =>
  (d.panels ?? []).flatMap((p) =>
    (((p as Panel).targets ?? []) as Array<{ expr?: string }>).flatMap((t) =>
      t.expr ? [[`${d.uid} / ${p.title}`, t.expr]] : []
    )
  )
);
const variableExprs = dashboards.flatMap((d) =>
  (d.templating?.list ?? []).flatMap((v) => {
    const m = /^label_values\(([^,]+),/.exec(String((v as { definition?: string }).definition ?? ''));
    return m ? [[`${d.uid} $${v.name}`, m[1].trim()]] : [];
  })
);
const ruleExprs = ALERT_RULES.map((r) => [`rule ${r.uid}`, r.signal]);
const used = [...panelExprs, ...variableExprs, ...ruleExprs].flatMap(([where, e]) =>
  metricNames(e).map((name) => ({ where, name }))
);

const REFERENCE = new Set([...VLLM_METRICS, ...VLLM_HTTP_METRICS, ...DCGM_METRICS].flatMap(sampleNames));
const PROMETHEUS_OWN = new Set(['up', 'ALERTS']);
const isExporterName = (n: string) => n.startsWith('vllm:') || n.startsWith('DCGM_') || n.startsWith('http_');

describe('metric names in PromQL', () => {
  it('metricNames reads selectors, not functions, labels or variables', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (le, model_name) (rate(vllm:e2e_request_latency_seconds_bucket{model_name=~"$m"}[$__rate_interval])))'
      )
    ).toEqual(['vllm:e2e_request_latency_seconds_bucket']);
    expect(metricNames('a{x="b"} and on(run) (c < 1)')).toEqual(['a', 'c']);
  });

  it('the reference lists name their sources and versions', () => {
    expect(VLLM_SOURCE).toMatch(/vllm\/v1\/metrics\/loggers\.py @ [0-9a-f]{8}/);
    expect(DCGM_SOURCE).toMatch(/default-counters\.csv @ [0-9a-f]{8}.*dcp-metrics-included\.csv @ [0-9a-f]{8}/);
    expect(REFERENCE.has('vllm:e2e_request_latency_seconds_bucket')).toBe(true);
    expect(REFERENCE.has('DCGM_FI_DEV_GPU_UTIL')).toBe(true);
  });

  it('the dashboards and alert rules use vLLM, dcgm-exporter and our own names only', () => {
    expect(used.filter((u) => u.name.startsWith('vllm:')).length).toBeGreaterThan(10);
    expect(used.filter((u) => u.name.startsWith('DCGM_')).length).toBeGreaterThan(10);
    const unknown = used.filter(
      (u) => !REFERENCE.has(u.name) && !PROMETHEUS_OWN.has(u.name) && !u.name.startsWith('rlhf_')
    );
    expect(unknown).toEqual([]);
    // Our own names are checked against the service's /metrics in dashboards.test.ts.
  });

  it('every vLLM and DCGM name used is served by the demo exporters', async () => {
    const { startService } = await import('../server/src/service');
    const s = await startService({ demo: true, port: 0, db: ':memory:', logger: false });
    try {
      const served = new Set<string>();
      for (const path of ['/demo/vllm/metrics', '/demo/dcgm/metrics']) {
        const text = await (await fetch(`${s.url}${path}`)).text();
        for (const m of text.matchAll(/^([^#\s{]+)[{ ]/gm)) {
          served.add(m[1]);
        }
      }
      expect(served.size).toBeGreaterThan(30);
      const missing = used.filter((u) => isExporterName(u.name) && !served.has(u.name));
      expect(missing).toEqual([]);
    } finally {
      await s.close();
    }
  }, 60_000);
});
