// The deployment-health alert rules, written once. generate.ts renders them twice from this list:
// as Grafana-managed rules (provisioning/alerting/rules.yaml, the ones that notify) and as Prometheus
// alerting rules (prometheus/rules.yml, for `promtool check/test rules` and Prometheus' own ALERTS series).
// Metric names are the service's own /metrics names (server/src/http/prometheus.ts), vLLM's (V1 engine) and
// dcgm-exporter's (server/src/demo/exporters/reference.ts lists both, with the versions they were read from).

import { GPU_TEMP_CRIT } from './gpu';
import { httpErrorRatio, quantile } from './promql';

export type Severity = 'critical' | 'warning';

export interface AlertRuleSpec {
  /** Grafana rule uid (stable: silences and links refer to it). */
  uid: string;
  /** Prometheus alert name (CamelCase, as Prometheus conventions have it). */
  alert: string;
  /** Grafana rule title. */
  title: string;
  /** PromQL giving the watched value per series (Grafana query A). */
  signal: string;
  /** The condition on that value (Grafana threshold expression C; Prometheus comparison). */
  op: '>' | '<';
  threshold: number;
  /** How long the condition must hold before the alert fires. */
  for: string;
  severity: Severity;
  phase: 'deployment' | 'training' | 'evaluation' | 'infrastructure';
  summary: string;
  /** Description; `{{value}}` is replaced by the templated current value (Grafana and Prometheus differ). */
  description: string;
  /** How to print the value: humanizePercentage for 0..1 ratios, printf for ms and PSI, humanizeDuration for seconds. */
  valueFormat: 'humanize' | 'humanizePercentage' | 'decimal0' | 'decimal3' | 'duration';
  /** First steps for whoever is paged. */
  runbook: string;
  /** The dashboard panel (by title) that shows the signal; runbook_url and the rule's panel link point there. */
  dashboardUid: string;
  panelTitle: string;
  /**
   * What an empty query result means. For the service-down rule a missing `up` series means Prometheus
   * is not scraping the service at all, which deserves attention; for the others it means nothing to watch.
   */
  noDataState: 'OK' | 'NoData' | 'Alerting';
}

/** Group name and evaluation interval shared by both renderings. */
export const ALERT_GROUP = 'rlhf-pipeline-health';
export const ALERT_INTERVAL = '1m';
/**
 * Grafana folder of the rules (alert provisioning names folders by title only). Not the dashboards' folder:
 * newer Grafana runs the dashboard and alerting provisioners concurrently, and two provisioners creating one
 * folder by title can create it twice. The dashboards' provider creates its folder by uid (`folderUid`), the
 * rules get this one of their own, so no folder is created twice.
 */
export const ALERT_FOLDER = 'RLHF Pipeline alerts';

/** The windows the vLLM rules rate over: long enough to smooth a 15 s scrape, short enough to page quickly. */
const W = '5m';
const VLLM_JOB = 'job="vllm"';

export const ALERT_RULES: AlertRuleSpec[] = [
  {
    uid: 'rlhf-service-down',
    alert: 'RlhfServiceDown',
    title: 'RLHF metrics service down',
    signal: 'up{job="rlhf-monitor"}',
    op: '<',
    threshold: 1,
    for: '1m',
    severity: 'critical',
    phase: 'deployment',
    summary: 'The RLHF metrics service is not answering Prometheus scrapes.',
    description:
      'Prometheus could not scrape {{ .Labels.instance }} (job {{ .Labels.job }}) for over a minute; dashboards and the other alerts are blind until it is back.',
    valueFormat: 'humanize',
    runbook:
      'Check the rlhf-monitor container (docker compose ps / logs rlhf-monitor), its /api/v1/health, disk space for RLHF_DB, and that RLHF_API_KEY matches the key Prometheus sends.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'Metrics service up',
    noDataState: 'Alerting',
  },
  {
    uid: 'rlhf-error-rate-high',
    alert: 'RlhfDeploymentErrorRateHigh',
    title: 'RLHF deployment error rate above 2%',
    signal: 'rlhf_deployment_error_rate',
    op: '>',
    threshold: 0.02,
    for: '5m',
    severity: 'critical',
    phase: 'deployment',
    summary: 'Model {{ .Labels.version }} ({{ .Labels.track }}) of {{ .Labels.run }} fails more than 2% of requests.',
    description:
      'Error rate of {{ .Labels.run }} {{ .Labels.version }}/{{ .Labels.track }} is {{value}} (threshold 2%) for 5 minutes.',
    valueFormat: 'humanizePercentage',
    runbook:
      'Open the Deployment dashboard; compare versions and tracks. A canary-only spike: halt the rollout. Check KV-cache usage and recent rollout events; roll back if the error rate follows a rollout.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'Error rate',
    noDataState: 'OK',
  },
  {
    uid: 'rlhf-latency-p99-slo',
    alert: 'RlhfDeploymentLatencyP99OverSlo',
    title: 'RLHF deployment p99 latency over the 2 s SLO',
    // The service exports latency in seconds, Prometheus' base unit (latency_p99_ms / 1000).
    signal: 'rlhf_deployment_latency_p99_seconds',
    op: '>',
    threshold: 2,
    for: '5m',
    severity: 'warning',
    phase: 'deployment',
    summary: 'p99 latency of {{ .Labels.run }} {{ .Labels.version }} ({{ .Labels.track }}) is over the 2 s SLO.',
    description:
      'p99 latency of {{ .Labels.run }} {{ .Labels.version }}/{{ .Labels.track }} is {{value}} (SLO 2 s) for 5 minutes.',
    valueFormat: 'duration',
    runbook:
      'Open the Deployment dashboard latency panel: p99 up with p50 flat means long generations or queueing (check KV-cache usage, max_num_seqs); all percentiles up means capacity: add replicas.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'Latency percentiles',
    noDataState: 'OK',
  },
  {
    uid: 'rlhf-production-drift',
    alert: 'RlhfProductionDriftMajor',
    title: 'RLHF production drift: PSI above 0.25',
    signal: 'rlhf_drift_psi{current="production"}',
    op: '>',
    threshold: 0.25,
    for: '15m',
    severity: 'warning',
    phase: 'evaluation',
    summary: 'Feature {{ .Labels.feature }} in production has drifted from {{ .Labels.reference }} (major shift).',
    description:
      'PSI of {{ .Labels.feature }} between {{ .Labels.reference }} and {{ .Labels.current }} is {{value}} (> 0.25 = major shift) for 15 minutes.',
    valueFormat: 'decimal3',
    runbook:
      'Open the Deployment dashboard drift panel: see which bins moved. Length drift often means a client or prompt-template change; re-check reward-model calibration on recent traffic before trusting rewards.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'Production drift',
    noDataState: 'OK',
  },
  {
    uid: 'rlhf-training-stalled',
    alert: 'RlhfTrainingStalled',
    title: 'RLHF training run stalled',
    // Seconds since the run's last metric, only for runs that have not reached max_steps.
    signal: '(time() - rlhf_training_last_update_timestamp_seconds) and on(run) (rlhf_training_progress_ratio < 1)',
    op: '>',
    threshold: 600,
    for: '1m',
    severity: 'warning',
    phase: 'training',
    summary: 'Training run {{ .Labels.run }} has logged nothing for over 10 minutes before finishing.',
    description: 'Run {{ .Labels.run }} last logged a metric {{value}} ago and has not reached max_steps.',
    valueFormat: 'duration',
    runbook:
      'Open the Training dashboard: look for an incident event (NCCL timeout, OOM) at the last step, check the job scheduler and node health, then restart from the last checkpoint.',
    dashboardUid: 'rlhf-training',
    panelTitle: 'Progress',
    noDataState: 'OK',
  },
  {
    uid: 'vllm-error-ratio-high',
    alert: 'VllmHttpErrorRatioHigh',
    title: 'vLLM: more than 2% of API requests fail',
    signal: httpErrorRatio(VLLM_JOB, W),
    op: '>',
    threshold: 0.02,
    for: '5m',
    severity: 'critical',
    phase: 'deployment',
    summary: 'vLLM server {{ .Labels.instance }} answers more than 2% of requests with a 5xx.',
    description: '5xx share of the OpenAI API on {{ .Labels.instance }} is {{value}} (threshold 2%) for 5 minutes.',
    valueFormat: 'humanizePercentage',
    runbook:
      'Open the Deployment dashboard: check KV-cache usage, preemptions and the waiting queue of that instance, and its logs for CUDA OOM or engine errors. Shift traffic away or restart the server; roll back if it follows a rollout.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'vLLM HTTP error ratio',
    noDataState: 'OK',
  },
  {
    uid: 'vllm-e2e-p99-slo',
    alert: 'VllmE2eLatencyP99OverSlo',
    title: 'vLLM: p99 end-to-end latency over the 2 s SLO',
    signal: quantile(0.99, 'vllm:e2e_request_latency_seconds', VLLM_JOB, ['model_name', 'instance'], W),
    op: '>',
    threshold: 2,
    for: '5m',
    severity: 'warning',
    phase: 'deployment',
    summary: 'p99 end-to-end latency of {{ .Labels.model_name }} on {{ .Labels.instance }} is over the 2 s SLO.',
    description:
      'p99 of vllm:e2e_request_latency_seconds for {{ .Labels.model_name }} on {{ .Labels.instance }} is {{value}} (SLO 2 s) for 5 minutes.',
    valueFormat: 'duration',
    runbook:
      'Compare queue time and time to first token on the Deployment dashboard: queueing means too little capacity (add replicas, lower max_num_seqs); long generations show as inter-token latency and generation tokens/s.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'vLLM end-to-end latency',
    noDataState: 'OK',
  },
  {
    uid: 'vllm-ttft-p95-high',
    alert: 'VllmTimeToFirstTokenP95High',
    title: 'vLLM: p95 time to first token above 1 s',
    signal: quantile(0.95, 'vllm:time_to_first_token_seconds', VLLM_JOB, ['model_name', 'instance'], W),
    op: '>',
    threshold: 1,
    for: '5m',
    severity: 'warning',
    phase: 'deployment',
    summary: 'Users of {{ .Labels.model_name }} on {{ .Labels.instance }} wait over 1 s for the first token.',
    description:
      'p95 of vllm:time_to_first_token_seconds for {{ .Labels.model_name }} on {{ .Labels.instance }} is {{value}} (threshold 1 s) for 5 minutes.',
    valueFormat: 'duration',
    runbook:
      'Time to first token is queueing plus prefill: check the waiting queue and prompt tokens/s. Long prompts: enable chunked prefill or prefix caching; a long queue: add capacity.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'vLLM time to first token',
    noDataState: 'OK',
  },
  {
    uid: 'vllm-kv-cache-full',
    alert: 'VllmKvCacheFull',
    title: 'vLLM: KV cache above 95% for 10 minutes',
    signal: `vllm:kv_cache_usage_perc{${VLLM_JOB}}`,
    op: '>',
    threshold: 0.95,
    for: '10m',
    severity: 'warning',
    phase: 'deployment',
    summary: 'The KV cache of {{ .Labels.model_name }} on {{ .Labels.instance }} is nearly full.',
    description:
      'vllm:kv_cache_usage_perc of {{ .Labels.model_name }} on {{ .Labels.instance }} is {{value}} (threshold 95%) for 10 minutes: requests queue and get preempted.',
    valueFormat: 'humanizePercentage',
    runbook:
      'Lower max_num_seqs or max_model_len, raise gpu_memory_utilization, or add a replica. Check whether answers got longer (generation tokens/s, production drift of response_length).',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'vLLM KV-cache usage',
    noDataState: 'OK',
  },
  {
    uid: 'vllm-queue-growing',
    alert: 'VllmWaitingQueueGrowing',
    title: 'vLLM: waiting queue above 10 and growing',
    // The queue length, kept only while it has grown over the last 10 minutes.
    signal: `vllm:num_requests_waiting{${VLLM_JOB}} and on(model_name, instance, engine) (deriv(vllm:num_requests_waiting{${VLLM_JOB}}[10m]) > 0)`,
    op: '>',
    threshold: 10,
    for: '5m',
    severity: 'warning',
    phase: 'deployment',
    summary: 'Requests pile up in front of {{ .Labels.model_name }} on {{ .Labels.instance }}.',
    description:
      '{{value}} requests wait for {{ .Labels.model_name }} on {{ .Labels.instance }}, and the queue has kept growing for 5 minutes.',
    valueFormat: 'decimal0',
    runbook:
      'The engine is saturated: add a replica or shed load at the gateway. If KV cache is full at the same time, see the KV-cache runbook first.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'vLLM running and waiting requests',
    noDataState: 'OK',
  },
  {
    uid: 'vllm-target-down',
    alert: 'VllmTargetDown',
    title: 'vLLM server not answering scrapes',
    signal: `up{${VLLM_JOB}}`,
    op: '<',
    threshold: 1,
    for: '2m',
    severity: 'critical',
    phase: 'deployment',
    summary: 'Prometheus cannot scrape vLLM server {{ .Labels.instance }}.',
    description: 'up of {{ .Labels.instance }} (job {{ .Labels.job }}) has been 0 for over 2 minutes.',
    valueFormat: 'humanize',
    runbook:
      'Check the vLLM process or pod (crash loop, CUDA OOM at start, model download), its /health endpoint, and that Prometheus can reach its /metrics.',
    dashboardUid: 'rlhf-deployment',
    panelTitle: 'vLLM targets up',
    // Without any vLLM target there is nothing to watch (the dashboards work without vLLM).
    noDataState: 'OK',
  },
  {
    uid: 'gpu-xid-error',
    alert: 'GpuXidError',
    title: 'GPU reported an XID error',
    signal: 'DCGM_FI_DEV_XID_ERRORS',
    op: '>',
    threshold: 0,
    for: '1m',
    severity: 'critical',
    phase: 'infrastructure',
    summary: 'GPU {{ .Labels.gpu }} of {{ .Labels.Hostname }} reported an XID error.',
    description:
      'DCGM_FI_DEV_XID_ERRORS of GPU {{ .Labels.gpu }} ({{ .Labels.UUID }}) on {{ .Labels.Hostname }} is {{value}}: the driver reported a hardware or driver fault.',
    valueFormat: 'decimal0',
    runbook:
      "Look the XID up in NVIDIA's XID catalogue (79 = fallen off the bus, 48 = double-bit ECC, 63/64 = row remapping). Drain the node, checkpoint or restart jobs elsewhere, and reset or replace the GPU.",
    dashboardUid: 'rlhf-training',
    panelTitle: 'Last XID error per GPU (DCGM)',
    noDataState: 'OK',
  },
  {
    uid: 'gpu-temperature-high',
    alert: 'GpuTemperatureHigh',
    title: 'GPU temperature above 90 °C',
    signal: 'DCGM_FI_DEV_GPU_TEMP',
    op: '>',
    threshold: GPU_TEMP_CRIT,
    for: '5m',
    severity: 'warning',
    phase: 'infrastructure',
    summary: 'GPU {{ .Labels.gpu }} of {{ .Labels.Hostname }} runs hot.',
    description:
      'DCGM_FI_DEV_GPU_TEMP of GPU {{ .Labels.gpu }} on {{ .Labels.Hostname }} is {{value}} °C (threshold 90 °C) for 5 minutes; it will throttle its clocks.',
    valueFormat: 'decimal0',
    runbook:
      'Check the SM clock panel for throttling, the node fans and the data-centre cooling; move the job if one GPU alone is hot.',
    dashboardUid: 'rlhf-training',
    panelTitle: 'GPU temperature (DCGM)',
    noDataState: 'OK',
  },
];

/** Wrap anything but a bare selector in parentheses so the comparison binds to the whole signal. */
function operand(signal: string): string {
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/.test(signal) ? signal : `(${signal})`;
}

/** The Prometheus alerting expression: the same signal and the same threshold as the Grafana rule. */
export function promExpr(r: AlertRuleSpec): string {
  return `${operand(r.signal)} ${r.op} ${r.threshold}`;
}

const FORMATS: Record<AlertRuleSpec['valueFormat'], (v: string) => string> = {
  humanize: (v) => `{{ humanize ${v} }}`,
  humanizePercentage: (v) => `{{ humanizePercentage ${v} }}`,
  decimal0: (v) => `{{ printf "%.0f" ${v} }}`,
  decimal3: (v) => `{{ printf "%.3f" ${v} }}`,
  duration: (v) => `{{ humanizeDuration ${v} }}`,
};

/**
 * The description with the value templated for each engine: Prometheus exposes it as `.Value`,
 * Grafana as `.Values.<refId>.Value` (B = the reduced query). Both accept `.Labels.<name>`; we avoid
 * `$labels`/`$value` because Grafana's provisioning expands `$name` from the environment.
 */
export function describe(r: AlertRuleSpec, engine: 'grafana' | 'prometheus'): string {
  const value = engine === 'grafana' ? '.Values.B.Value' : '.Value';
  return r.description.replace('{{value}}', FORMATS[r.valueFormat](value));
}
