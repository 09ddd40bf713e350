// "RLHF · 4 Deployment": serving state per model version, latency percentiles, throughput, error rate,
// production drift, deployment events and the state of the alert rules.
import { MappingType } from '@grafana/schema';
import { ALERT_FOLDER } from './alerts';
import {
  catalogVariable,
  dashboard,
  eventAnnotation,
  Grid,
  prom,
  rlhf,
  steps,
  type FieldOptions,
  type ProvisionedDashboard,
  type RlhfTarget,
} from './builders';
import { DRIFT_OPTIONS, driftTargets, PSI_STEPS } from './evaluation';
import { DASHBOARDS } from './links';
import { ERROR, SUCCESS, TEAL, TEAL_DARK, WARNING } from './palette';
import { alertList, byRefId, humainPanel, stat, stateTimeline, table, timeseries } from './panels';

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
export const ERROR_RATE_STEPS = steps(SUCCESS, [0.01, WARNING], [0.02, ERROR]);
export const LATENCY_STEPS = steps(TEAL, [2000, ERROR]);

const VERSION = '${__field.labels.version} · ${__field.labels.track}';

export function deployment(): ProvisionedDashboard {
  const d = DASHBOARDS.deployment;
  const series = (metric: string, refId = 'A'): RlhfTarget => rlhf({ type: 'timeseries', run: '$run', metric }, refId);

  const grid = new Grid()
    .row('Serving · $run')
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
        targets: [prom('up{job="rlhf-monitor"}', '{{instance}}')],
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
        description: `State of the Grafana-managed alert rules in the "${ALERT_FOLDER}" folder (service down, error rate, p99 latency, drift, stalled training).`,
        w: 12,
        h: 9,
      }),
      stateTimeline({
        title: 'Firing alerts (Prometheus)',
        description: 'ALERTS series of the same rules evaluated by Prometheus (prometheus/rules.yml).',
        w: 24,
        h: 6,
        targets: [
          prom('ALERTS{component="rlhf-monitor", alertstate="firing"}', '{{alertname}} {{version}}{{feature}}{{run}}'),
        ],
        field: {
          noValue: 'No alert firing',
          thresholds: steps(SUCCESS, [1, ERROR]),
          mappings: [{ type: MappingType.ValueToText, options: { '1': { text: 'firing', color: ERROR, index: 0 } } }],
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
