// "RLHF · 4 Deployment": vLLM's own serving metrics and the serving GPUs (Prometheus: vllm/v1/metrics/loggers.py
// names of the V1 engine, dcgm-exporter), then what only our service knows: the pushed serving state per model
// version, production drift, deployment events and the state of the alert rules.
import { SERVING_SLO } from '@rlhf-monitor/contract';
import { MappingType } from '@grafana/schema';
import { ALERT_FOLDER } from './alerts';
import {
  catalogVariable,
  dashboard,
  eventAnnotation,
  Grid,
  prom,
  promInstant,
  rlhf,
  steps,
  type FieldOptions,
  type ProvisionedDashboard,
  type RlhfTarget,
} from './builders';
import { DRIFT_OPTIONS, driftTargets, PSI_STEPS } from './evaluation';
import { gpuPanels, LIVE } from './gpu';
import { DASHBOARDS } from './links';
import { ERROR, SUCCESS, TEAL, TEAL_DARK, WARNING } from './palette';
import { alertList, byRefId, humainPanel, stat, stateTimeline, table, timeseries } from './panels';
import { httpErrorRatio, promLabelVariable, quantile, VLLM_SELECTOR } from './promql';

/** The Prometheus `up` of the metrics service as a red DOWN / green UP stat. */
export const SERVICE_UP_FIELD: FieldOptions = {
  thresholds: steps(ERROR, [1, SUCCESS]),
  mappings: [
    {
      type: MappingType.ValueToText,
      options: { '0': { text: 'DOWN', color: ERROR, index: 0 }, '1': { text: 'UP', color: SUCCESS, index: 1 } },
    },
  ],
};

/**
 * The serving SLOs the alert rules use (alerts.ts): error rate 2%, p99 latency 2000 ms. As in the status rule,
 * an error rate above 2% is critical and above half of it a warning.
 */
export const ERROR_RATE_STEPS = steps(
  SUCCESS,
  [SERVING_SLO.errorRate * SERVING_SLO.warningFraction, WARNING],
  [SERVING_SLO.errorRate, ERROR]
);
export const LATENCY_STEPS = steps(TEAL, [SERVING_SLO.latencyP99Ms, ERROR]);
/** The same SLOs in vLLM's units (seconds, ratios). */
export const E2E_P99_SLO_S = 2;
export const TTFT_P95_SLO_S = 1;
export const KV_CACHE_FULL = 0.95;

const BY_MODEL = ['model_name'];
const PCT = (q: number, h: string, refId: string) =>
  prom(quantile(q, h, VLLM_SELECTOR, BY_MODEL), `p${Math.round(q * 100)} {{model_name}}`, refId);
const LIVE_PANEL = { timeFrom: LIVE };

/** p50/p95/p99 (or p50/p95) of a vLLM histogram, per model, in seconds. */
function latencyPanel(title: string, description: string, histogram: string, qs: number[], slo?: number) {
  return timeseries({
    ...LIVE_PANEL,
    title,
    description,
    w: 8,
    h: 8,
    thresholdsStyle: slo ? 'line' : undefined,
    legendCalcs: ['lastNotNull', 'max'],
    targets: qs.map((q, i) => PCT(q, histogram, String.fromCharCode(65 + i))),
    field: {
      unit: 's',
      min: 0,
      color: 'palette',
      ...(slo ? { thresholds: steps(TEAL, [slo, ERROR]) } : {}),
    },
  });
}

const VERSION = '${__field.labels.version} · ${__field.labels.track}';

export function deployment(): ProvisionedDashboard {
  const d = DASHBOARDS.deployment;
  const series = (metric: string, refId = 'A'): RlhfTarget => rlhf({ type: 'timeseries', run: '$run', metric }, refId);

  const rate = (m: string) => `rate(${m}{${VLLM_SELECTOR}}[$__rate_interval])`;
  const grid = new Grid()
    .row('vLLM serving (Prometheus)')
    .add(
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM requests by finished reason',
        description:
          'Finished requests per second from vllm:request_success_total, by finished_reason: stop (EOS or stop string), length (hit max_tokens), abort (client gone or error).',
        w: 8,
        h: 8,
        targets: [
          prom(
            `sum by (model_name, finished_reason) (${rate('vllm:request_success_total')})`,
            '{{model_name}} {{finished_reason}}'
          ),
        ],
        field: { unit: 'reqps', min: 0, color: 'palette' },
      }),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM HTTP responses by status',
        description:
          "Responses per second of vLLM's OpenAI API server (http_requests_total, by status class) on the selected instances.",
        w: 8,
        h: 8,
        targets: [
          prom(
            'sum by (status) (rate(http_requests_total{instance=~"$instance", handler=~"/v1/.*"}[$__rate_interval]))',
            '{{status}}'
          ),
        ],
        field: {
          unit: 'reqps',
          min: 0,
          color: 'palette',
          overrides: [
            {
              matcher: { id: 'byName', options: '5xx' },
              properties: [{ id: 'color', value: { mode: 'fixed', fixedColor: ERROR } }],
            },
          ],
        },
      }),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM HTTP error ratio',
        description: 'Share of 5xx responses per instance; the vLLM error-ratio alert fires above 2% for 5 minutes.',
        w: 8,
        h: 8,
        thresholdsStyle: 'line+area',
        targets: [prom(httpErrorRatio('instance=~"$instance", handler=~"/v1/.*"'), '{{instance}}')],
        field: { unit: 'percentunit', min: 0, decimals: 2, color: 'palette', thresholds: ERROR_RATE_STEPS },
      }),
      latencyPanel(
        'vLLM end-to-end latency',
        `p50 / p95 / p99 of vllm:e2e_request_latency_seconds per model; the dashed line is the ${E2E_P99_SLO_S} s p99 SLO of the alert.`,
        'vllm:e2e_request_latency_seconds',
        [0.5, 0.95, 0.99],
        E2E_P99_SLO_S
      ),
      latencyPanel(
        'vLLM time to first token',
        `p50 / p95 of vllm:time_to_first_token_seconds (prefill plus queueing); the alert watches p95 against ${TTFT_P95_SLO_S} s.`,
        'vllm:time_to_first_token_seconds',
        [0.5, 0.95],
        TTFT_P95_SLO_S
      ),
      latencyPanel(
        'vLLM inter-token latency',
        'p50 / p95 of vllm:time_per_output_token_seconds: the pace users see while an answer streams.',
        'vllm:time_per_output_token_seconds',
        [0.5, 0.95]
      ),
      latencyPanel(
        'vLLM queue time',
        'p50 / p95 of vllm:request_queue_time_seconds: time spent WAITING before the scheduler admits the request.',
        'vllm:request_queue_time_seconds',
        [0.5, 0.95]
      ),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM running and waiting requests',
        description:
          'vllm:num_requests_running (in the batch) and vllm:num_requests_waiting (queued); a growing queue means the engine is saturated.',
        w: 8,
        h: 8,
        targets: [
          prom(`sum by (model_name) (vllm:num_requests_running{${VLLM_SELECTOR}})`, 'running {{model_name}}', 'A'),
          prom(`sum by (model_name) (vllm:num_requests_waiting{${VLLM_SELECTOR}})`, 'waiting {{model_name}}', 'B'),
        ],
        field: { unit: 'short', min: 0, decimals: 0, color: 'palette' },
      }),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM KV-cache usage',
        description: `vllm:kv_cache_usage_perc per model (1 = full); above ${KV_CACHE_FULL * 100}% for 10 minutes the alert fires: requests queue and get preempted.`,
        w: 8,
        h: 8,
        thresholdsStyle: 'line',
        targets: [prom(`max by (model_name) (vllm:kv_cache_usage_perc{${VLLM_SELECTOR}})`, '{{model_name}}')],
        field: {
          unit: 'percentunit',
          min: 0,
          max: 1,
          color: 'palette',
          thresholds: steps(TEAL, [0.9, WARNING], [KV_CACHE_FULL, ERROR]),
        },
      }),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM prompt and generation tokens / s',
        description: 'rate of vllm:prompt_tokens_total (prefill) and vllm:generation_tokens_total (decode) per model.',
        w: 8,
        h: 8,
        targets: [
          prom(`sum by (model_name) (${rate('vllm:prompt_tokens_total')})`, 'prompt {{model_name}}', 'A'),
          prom(`sum by (model_name) (${rate('vllm:generation_tokens_total')})`, 'generation {{model_name}}', 'B'),
        ],
        field: { unit: 'short', min: 0, color: 'palette' },
      }),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM preemptions / s',
        description:
          'rate of vllm:num_preemptions_total: requests evicted from the KV cache to make room (recomputed later); sustained preemption means too little KV cache for the load.',
        w: 8,
        h: 8,
        targets: [prom(`sum by (model_name) (${rate('vllm:num_preemptions_total')})`, '{{model_name}}')],
        field: { unit: 'short', min: 0, decimals: 2, color: 'palette' },
      }),
      timeseries({
        ...LIVE_PANEL,
        title: 'vLLM prefix-cache hit rate',
        description:
          'Cached prompt tokens / queried prompt tokens (vllm:prefix_cache_hits_total / vllm:prefix_cache_queries_total).',
        w: 8,
        h: 8,
        targets: [
          prom(
            `sum by (model_name) (${rate('vllm:prefix_cache_hits_total')}) / sum by (model_name) (${rate('vllm:prefix_cache_queries_total')})`,
            '{{model_name}}'
          ),
        ],
        field: { unit: 'percentunit', min: 0, max: 1, color: 'palette' },
      }),
      stat({
        title: 'vLLM targets up',
        description: 'Prometheus scrape of each vLLM server (up{job="vllm"}); the "vLLM down" alert watches it.',
        w: 8,
        h: 8,
        colorMode: 'background',
        textMode: 'value_and_name',
        targets: [promInstant('up{job="vllm", instance=~"$instance"}', '{{instance}}')],
        field: SERVICE_UP_FIELD,
      })
    )
    .row('Serving GPUs (dcgm-exporter, Prometheus)')
    .add(...gpuPanels('Hostname=~"$gpu_host"', 'the serving hosts'))
    .row('Serving (pushed to the RLHF service; no Prometheus needed) · $run')
    .add(
      stateTimeline({
        title: 'Serving state per version',
        description:
          'Each model version and track over time: healthy (error rate < 2%), degraded (2-5%), failing (>= 5%).',
        w: 16,
        h: 7,
        targets: [series('error_rate')],
        field: {
          displayName: VERSION,
          thresholds: ERROR_RATE_STEPS,
          mappings: [
            {
              type: MappingType.RangeToText,
              options: { from: 0, to: 0.0199999, result: { text: 'healthy', color: SUCCESS, index: 0 } },
            },
            {
              type: MappingType.RangeToText,
              options: { from: 0.02, to: 0.0499999, result: { text: 'degraded', color: WARNING, index: 1 } },
            },
            {
              type: MappingType.RangeToText,
              options: { from: 0.05, to: 1, result: { text: 'failing', color: ERROR, index: 2 } },
            },
          ],
        },
      }),
      stat({
        title: 'Metrics service up',
        description:
          'Prometheus scrape of the RLHF metrics service (up{job="rlhf-monitor"}); the "service down" alert watches it.',
        w: 4,
        h: 7,
        colorMode: 'background',
        targets: [promInstant('up{job="rlhf-monitor"}', '{{instance}}')],
        field: SERVICE_UP_FIELD,
      }),
      stat({
        title: 'Requests / s',
        description: 'Latest request rate per version and track.',
        w: 4,
        h: 7,
        sparkline: true,
        colorMode: 'none',
        textMode: 'value_and_name',
        targets: [series('requests_per_second')],
        field: { unit: 'reqps', decimals: 1, displayName: VERSION },
      })
    )
    .row('Latency, throughput and errors')
    .add(
      timeseries({
        title: 'Latency percentiles',
        description: 'p50 / p95 / p99 per version; the dashed line is the 2000 ms p99 SLO of the alert rule.',
        w: 12,
        h: 9,
        thresholdsStyle: 'line',
        legendCalcs: ['lastNotNull', 'max'],
        targets: [series('latency_p50_ms', 'A'), series('latency_p95_ms', 'B'), series('latency_p99_ms', 'C')],
        field: {
          unit: 'ms',
          min: 0,
          thresholds: LATENCY_STEPS,
          overrides: [
            {
              matcher: byRefId('A'),
              properties: [
                { id: 'displayName', value: `p50 ${VERSION}` },
                { id: 'color', value: { mode: 'shades', fixedColor: TEAL } },
              ],
            },
            {
              matcher: byRefId('B'),
              properties: [
                { id: 'displayName', value: `p95 ${VERSION}` },
                { id: 'color', value: { mode: 'shades', fixedColor: TEAL_DARK } },
              ],
            },
            {
              matcher: byRefId('C'),
              properties: [
                { id: 'displayName', value: `p99 ${VERSION}` },
                { id: 'color', value: { mode: 'shades', fixedColor: '#0a4f39' } },
              ],
            },
          ],
        },
      }),
      timeseries({
        title: 'Error rate',
        description: 'Failed / all requests per version; the alert fires above 2% for 5 minutes.',
        w: 12,
        h: 9,
        thresholdsStyle: 'line+area',
        targets: [series('error_rate')],
        field: {
          unit: 'percentunit',
          min: 0,
          decimals: 2,
          color: 'shades',
          displayName: VERSION,
          thresholds: ERROR_RATE_STEPS,
        },
      }),
      timeseries({
        title: 'Throughput',
        description: 'Requests per second (left) and generated tokens per second (right), per version.',
        w: 12,
        h: 8,
        targets: [series('requests_per_second', 'A'), series('tokens_per_second', 'B')],
        field: {
          color: 'shades',
          overrides: [
            {
              matcher: byRefId('A'),
              properties: [
                { id: 'displayName', value: `req/s ${VERSION}` },
                { id: 'unit', value: 'reqps' },
              ],
            },
            {
              matcher: byRefId('B'),
              properties: [
                { id: 'displayName', value: `tokens/s ${VERSION}` },
                { id: 'unit', value: 'short' },
                { id: 'custom.axisPlacement', value: 'right' },
                { id: 'color', value: { mode: 'shades', fixedColor: TEAL_DARK } },
              ],
            },
          ],
        },
      }),
      timeseries({
        title: 'KV-cache usage',
        description: 'GPU KV-cache occupancy per version; near 100% requests queue or fail.',
        w: 12,
        h: 8,
        thresholdsStyle: 'line',
        targets: [series('kv_cache_usage')],
        field: {
          unit: 'percentunit',
          min: 0,
          max: 1,
          color: 'shades',
          displayName: VERSION,
          thresholds: steps(TEAL, [0.9, WARNING], [0.97, ERROR]),
        },
      })
    )
    .row('Production drift (training data vs production traffic)')
    .add(
      humainPanel(
        'humain-drift-panel',
        {
          title: 'Production drift',
          description:
            'Training data (reference) vs production traffic (current) for prompt length, response length and reward score.',
          w: 14,
          h: 12,
          targets: driftTargets('training', 'production'),
        },
        { ...DRIFT_OPTIONS }
      ),
      timeseries({
        ...LIVE_PANEL,
        title: 'PSI over time (Prometheus)',
        description: 'rlhf_drift_psi as scraped by Prometheus; the drift alert fires above 0.25 for 15 minutes.',
        w: 10,
        h: 12,
        thresholdsStyle: 'line+area',
        targets: [prom('rlhf_drift_psi{current="production"}', '{{feature}}')],
        field: { decimals: 3, min: 0, color: 'shades', thresholds: PSI_STEPS },
      })
    )
    .row('Events and alerts')
    .add(
      table({
        title: 'Deployment events',
        description: 'Rollouts and incidents of the serving deployment, newest first.',
        w: 12,
        h: 9,
        sortBy: [{ displayName: 'time', desc: true }],
        targets: [rlhf({ type: 'events', tags: ['deployment'] })],
        field: { custom: { cellOptions: { type: 'auto', wrapText: true } } },
      }),
      alertList({
        title: 'Alert rules',
        description: `State of the Grafana-managed alert rules in the "${ALERT_FOLDER}" folder (the service, pushed serving health, drift, stalled training, vLLM and GPU health).`,
        w: 12,
        h: 9,
      }),
      stateTimeline({
        ...LIVE_PANEL,
        title: 'Pending and firing alerts (Prometheus)',
        description:
          'ALERTS series of the same rules evaluated by Prometheus (prometheus/rules.yml): pending while the condition holds for less than its `for`, then firing.',
        w: 24,
        h: 6,
        targets: [
          prom(
            'ALERTS{component="rlhf-monitor"}',
            '{{alertname}} {{alertstate}} {{model_name}}{{Hostname}}{{gpu}}{{version}}{{feature}}{{run}}'
          ),
        ],
        field: {
          noValue: 'No alert pending or firing',
          thresholds: steps(SUCCESS, [1, ERROR]),
          mappings: [{ type: MappingType.ValueToText, options: { '1': { text: 'active', color: ERROR, index: 0 } } }],
        },
      })
    );

  return dashboard({
    uid: d.uid,
    title: d.title,
    description:
      'Phase 4: serving state per version, latency percentiles, throughput, error rate, production drift, events and alert state.',
    tags: ['deployment'],
    variables: [
      promLabelVariable({
        name: 'model_name',
        label: 'vLLM model',
        metric: 'vllm:num_requests_running',
        labelName: 'model_name',
        description: "vLLM's served model name (--served-model-name), from the engine's model_name label.",
      }),
      promLabelVariable({
        name: 'instance',
        label: 'vLLM instance',
        metric: 'vllm:num_requests_running',
        labelName: 'instance',
        description: 'The vLLM servers Prometheus scrapes (the instance label of their target).',
      }),
      promLabelVariable({
        name: 'gpu_host',
        label: 'Serving GPU hosts',
        metric: 'DCGM_FI_DEV_GPU_UTIL',
        labelName: 'Hostname',
        defaultValue: ['serve-0'],
        description: 'Hosts whose GPUs serve the model (dcgm-exporter Hostname label).',
      }),
      catalogVariable({
        name: 'run',
        label: 'Deployment',
        of: 'runs',
        defaultValue: 'serve-prod',
        // Training runs share the runs catalog; serving deployments are named serve-*.
        regex: '/^serve-/',
        description: 'Serving deployment (metrics of phase deployment), runs named serve-*.',
      }),
    ],
    annotations: [
      eventAnnotation('Rollouts', ['deployment', 'rollout'], TEAL),
      eventAnnotation('Incidents', ['deployment', 'incident'], ERROR),
    ],
    grid,
  });
}
