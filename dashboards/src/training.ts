// "RLHF · 2 Training": run status, progress/ETA, curves with checkpoint annotations, RLHF failure signals,
// system utilisation and throughput.
import { MappingType } from '@grafana/schema';
import {
  catalogVariable,
  dashboard,
  eventAnnotation,
  Grid,
  rlhf,
  steps,
  type ProvisionedDashboard,
  type RlhfTarget,
} from './builders';
import { DASHBOARDS } from './links';
import { ERROR, MUTED, SUCCESS, TEAL, TEAL_DARK, TEAL_LIGHT, WARNING } from './palette';
import { byName, heatmap, stat, table, timeseries, inFrame } from './panels';

/** Signal states as the service reports them (analytics/health.ts), coloured with the HUMAIN status palette. */
export const STATE_MAPPINGS = [
  {
    type: MappingType.ValueToText as const,
    options: {
      ok: { text: 'ok', color: SUCCESS, index: 0 },
      warning: { text: 'warning', color: WARNING, index: 1 },
      critical: { text: 'critical', color: ERROR, index: 2 },
      unknown: { text: 'unknown', color: MUTED, index: 3 },
    },
  },
];

const series = (metric: string): RlhfTarget => rlhf({ type: 'timeseries', run: '$run', metric });
/** The health query without smoothed curves: summary, signals and eta frames only. */
const health = (): RlhfTarget => rlhf({ type: 'health', run: '$run', metrics: [] });

/**
 * Keep the row of one health signal (the `signals` frame has one row per signal). Frames without the field,
 * such as the summary with the overall `state`, are left with no rows, so only the signal's state is shown.
 */
export function onlySignal(signal: string) {
  return [
    {
      id: 'filterByValue',
      options: {
        type: 'include',
        match: 'any',
        // filterByValue names the field by its display name: "signals signal" (frame "signals", field "signal").
        filters: [{ fieldName: 'signals signal', config: { id: 'equal', options: { value: signal } } }],
      },
    },
  ];
}

/**
 * A training curve from the health query: for each requested metric (a name, or a role such as `kl` that the
 * service resolves for TRL, OpenRLHF and veRL), the raw series (thin) and its debiased EMA (TensorBoard-style
 * smoothing, bold). Only the curve fields are kept: the signals/eta frames of the reply are not plotted.
 */
function curve(title: string, description: string, metrics: string[], unit?: string) {
  return timeseries({
    title,
    description,
    w: 12,
    h: 8,
    targets: [rlhf({ type: 'health', run: '$run', metrics, smoothing: 0.6 })],
    legendCalcs: ['lastNotNull', 'min', 'max'],
    transformations: [
      { id: 'filterFieldsByName', options: { include: { names: ['time', 'step', 'raw', 'smoothed'] } } },
    ],
    field: {
      unit,
      color: 'shades',
      overrides: [
        {
          matcher: byName('raw'),
          properties: [
            { id: 'custom.lineWidth', value: 1 },
            { id: 'custom.fillOpacity', value: 0 },
            { id: 'color', value: { mode: 'fixed', fixedColor: TEAL_LIGHT } },
          ],
        },
        { matcher: byName('smoothed'), properties: [{ id: 'custom.lineWidth', value: 2 }] },
      ],
    },
  });
}

export function training(): ProvisionedDashboard {
  const d = DASHBOARDS.training;
  const grid = new Grid()
    .row('Run status · $run')
    .add(
      stat({
        title: 'Progress',
        description: 'Latest step / max_steps of the run.',
        w: 4,
        h: 5,
        fields: inFrame('eta', 'progress'),
        targets: [health()],
        field: { unit: 'percentunit', decimals: 1, min: 0, max: 1, thresholds: steps(TEAL, [1, SUCCESS]) },
      }),
      stat({
        title: 'ETA',
        description: 'Time to max_steps at the step rate of the last hour (0 when finished, empty while stalled).',
        w: 4,
        h: 5,
        fields: inFrame('eta', 'eta_seconds'),
        colorMode: 'none',
        targets: [health()],
        field: { unit: 's', decimals: 0, noValue: 'unknown' },
      }),
      stat({
        title: 'Step rate',
        description: 'Optimizer steps per hour over the last hour.',
        w: 4,
        h: 5,
        fields: inFrame('eta', 'steps_per_hour'),
        colorMode: 'none',
        targets: [health()],
        field: { unit: 'short', decimals: 0, noValue: 'no recent steps' },
      }),
      table({
        title: 'Health signals',
        description:
          'RLHF failure signals judged on the smoothed curves: reward hacking (reward rising while KL exceeds its budget, or KL negative), entropy collapse, value-loss explosion, loss/reward spikes, length exploitation, stalled progress.',
        w: 12,
        h: 10,
        targets: [health()],
        frameIndex: 1,
        colouredFields: ['state'],
        field: {
          mappings: STATE_MAPPINGS,
          overrides: [
            { matcher: byName('since'), properties: [{ id: 'unit', value: 'dateTimeFromNow' }] },
            // Multi-frame replies get "<frame> <field>" display names ("signals state"): name the columns.
            ...['signal', 'state', 'value', 'reason', 'metric'].map((name) => ({
              matcher: byName(name),
              properties: [{ id: 'displayName', value: name }],
            })),
            {
              matcher: byName('reason'),
              properties: [{ id: 'custom.cellOptions', value: { type: 'auto', wrapText: true } }],
            },
          ],
        },
      }),
      stat({
        title: 'Reward hacking',
        description:
          'Reward rising while KL runs past its budget (or negative KL): the policy exploits the reward model.',
        w: 4,
        h: 5,
        fields: inFrame('signals', 'state'),
        targets: [health()],
        transformations: onlySignal('reward_hacking'),
        field: { mappings: STATE_MAPPINGS },
      }),
      stat({
        title: 'Entropy collapse',
        description: 'Policy entropy below 30% (warning) or 10% (critical) of its starting value.',
        w: 4,
        h: 5,
        fields: inFrame('signals', 'state'),
        targets: [health()],
        transformations: onlySignal('entropy_collapse'),
        field: { mappings: STATE_MAPPINGS },
      }),
      stat({
        title: 'Tokens / s',
        description: 'Training throughput, latest.',
        w: 4,
        h: 5,
        sparkline: true,
        colorMode: 'none',
        targets: [series('tokens_per_second')],
        field: { unit: 'short', decimals: 0, displayName: 'tokens/s' },
      })
    )
    .row('Curves (checkpoints marked)')
    .add(
      curve('Loss', 'Policy and value loss (PPO) or the DPO loss, raw and smoothed.', [
        'policy_loss',
        'value_loss',
        'loss',
      ]),
      curve('Reward', 'Mean RLHF reward and score (PPO), or DPO reward margins and accuracy, raw and smoothed.', [
        'reward',
        'score',
        'reward_margin',
        'accuracy',
      ]),
      curve(
        'KL to the reference policy',
        'How far the policy has moved from the reference model (objective/kl in TRL).',
        ['kl']
      ),
      curve('Entropy', 'Policy entropy: a collapse means the policy stops exploring.', ['entropy']),
      curve('PPO clipping and value ratio', 'policy/clipfrac_avg and val/ratio.', ['clip_fraction', 'val/ratio']),
      curve('Learning rate and gradient norm', 'Learning rate schedule and gradient norm.', [
        'learning_rate',
        'grad_norm',
      ])
    )
    .row('System')
    .add(
      timeseries({
        title: 'GPU utilisation',
        description: 'Per GPU and node.',
        w: 12,
        h: 8,
        targets: [series('gpu_utilization')],
        field: {
          unit: 'percent',
          min: 0,
          max: 100,
          color: 'shades',
          displayName: '${__field.labels.node} gpu ${__field.labels.gpu}',
        },
      }),
      heatmap({
        title: 'GPU utilisation across GPUs',
        description:
          'How the GPUs of the run spread over utilisation bands: a low band that fills up points at stragglers.',
        w: 12,
        h: 8,
        yUnit: 'percent',
        targets: [series('gpu_utilization')],
        transformations: [{ id: 'filterFieldsByName', options: { include: { names: ['time', 'value'] } } }],
      }),
      timeseries({
        title: 'GPU memory',
        description: 'GPU memory used per GPU (GB).',
        w: 8,
        h: 8,
        targets: [series('gpu_memory_used_gb')],
        field: {
          unit: 'decgbytes',
          min: 0,
          color: 'shades',
          displayName: '${__field.labels.node} gpu ${__field.labels.gpu}',
        },
      }),
      timeseries({
        title: 'CPU utilisation',
        description: 'Per node.',
        w: 8,
        h: 8,
        targets: [series('cpu_utilization')],
        field: { unit: 'percent', min: 0, max: 100, color: 'shades', displayName: '${__field.labels.node}' },
      }),
      timeseries({
        title: 'RAM used',
        description: 'Host memory per node (GB).',
        w: 8,
        h: 8,
        targets: [series('ram_used_gb')],
        field: { unit: 'decgbytes', min: 0, color: 'shades', displayName: '${__field.labels.node}' },
      }),
      timeseries({
        title: 'Throughput',
        description: 'Training tokens per second.',
        w: 24,
        h: 7,
        targets: [series('tokens_per_second')],
        field: { unit: 'short', fixedColor: TEAL_DARK, displayName: 'tokens/s' },
      })
    )
    .row('Training events')
    .add(
      table({
        title: 'Run events · $run',
        description: 'Starts, checkpoints, incidents and restarts of the run, newest first.',
        w: 24,
        h: 8,
        sortBy: [{ displayName: 'time', desc: true }],
        targets: [rlhf({ type: 'events', tags: ['training', '$run'] })],
        field: { custom: { cellOptions: { type: 'auto', wrapText: true } } },
      })
    );

  return dashboard({
    uid: d.uid,
    title: d.title,
    description:
      'Phase 2: run status, progress and ETA, curves with checkpoints, RLHF failure signals, GPU/CPU/memory and throughput.',
    tags: ['training'],
    variables: [
      catalogVariable({
        name: 'run',
        label: 'Run',
        of: 'runs',
        defaultValue: 'ppo-llama3-8b',
        description: 'Training run (TRL, OpenRLHF or veRL metric names).',
      }),
    ],
    annotations: [
      eventAnnotation('Checkpoints', ['checkpoint', '$run'], TEAL),
      eventAnnotation('Training incidents', ['training', 'incident', '$run'], ERROR),
    ],
    grid,
  });
}
