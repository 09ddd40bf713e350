// The deployment-health alert rules, written once. generate.ts renders them twice from this list:
// as Grafana-managed rules (provisioning/alerting/rules.yaml, the ones that notify) and as Prometheus
// alerting rules (prometheus/rules.yml, for `promtool check/test rules` and Prometheus' own ALERTS series).
// Metric names are the service's own /metrics names (server/src/http/prometheus.ts).

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
  phase: 'deployment' | 'training' | 'evaluation';
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
/** Grafana folder that holds the rules (the same folder the dashboards are provisioned into). */
export const ALERT_FOLDER = 'RLHF Pipeline';

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
