// "RLHF · 2 Training": run status, progress/ETA, curves with checkpoint annotations, RLHF failure signals,
// system utilisation and throughput.
import { MappingType, type VariableModel, VariableHide, VariableRefresh, VariableSort } from '@grafana/schema';
import {
  catalogVariable,
  dashboard,
  eventAnnotation,
  Grid,
  rlhf,
  RLHF_DS,
  steps,
  type ProvisionedDashboard,
  type RlhfTarget,
} from './builders';
import { gpuPanels } from './gpu';
import { DASHBOARDS, RUN_LINK } from './links';
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
/** The health query without smoothed curves, answering only the frames the panel draws (`eta` or `signals`). */
const health = (frame: 'eta' | 'signals'): RlhfTarget =>
  rlhf({ type: 'health', run: '$run', metrics: [], frames: [frame] });

/** Keep the row of one health signal (the `signals` frame has one row per signal). */
export function onlySignal(signal: string) {
  return [
    {
      id: 'filterByValue',
      options: {
        type: 'include',
        match: 'any',
        // filterByValue names the field by its display name: the bare name, the reply being one frame.
        filters: [{ fieldName: 'signal', config: { id: 'equal', options: { value: signal } } }],
      },
    },
  ];
}

/**
 * A training curve from the health query: for each requested metric (a name, or a role such as `kl` that the
 * service resolves for TRL, OpenRLHF and veRL), the raw series (thin) and its debiased EMA (TensorBoard-style
 * smoothing, bold). The query answers only the `smoothed` frames, and of those only the curve fields are kept.
 */
function curve(title: string, description: string, metrics: string[], unit?: string) {
  return timeseries({
    title,
    description,
    w: 12,
    h: 8,
    targets: [rlhf({ type: 'health', run: '$run', metrics, smoothing: 0.6, frames: ['smoothed'] })],
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

/**
 * The hosts of the selected run, read from its run-start event: the event's text carries `hosts=a,b` (the demo,
 * and the key=value settings of the Python client's start event), and Grafana's variable regex with the `g`
 * flag makes each host an option. All = the run's hosts only (no custom all value). The start event must lie in
 * the dashboard's time range when the dashboard loads.
 */
function runHostsVariable(): VariableModel {
  return {
    type: 'query',
    name: 'host',
    label: 'GPU hosts',
    description: 'Hosts of the run (hosts= of its run-start event), whose GPUs the dcgm-exporter row shows.',
    datasource: RLHF_DS,
    query: { refId: 'host-events', type: 'events', tags: ['training', '$run'] },
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [],
    refresh: VariableRefresh.onDashboardLoad,
    regex: '/(?<=hosts=(?:[^,\\s]+,)*)([^,\\s]+)/g',
    sort: VariableSort.alphabeticalAsc,
    multi: true,
    includeAll: true,
    hide: VariableHide.dontHide,
    skipUrlSync: false,
  };
}

/**
 * One curve per selected run (the multi-value `runs` variable; the data source sends the list), coloured by
 * name so a run keeps its colour on every comparison panel, with the run in the legend. TRL's trainers name
 * the same idea differently (PPO objective/kl, DPO rewards/margins): each panel lists the names it overlays.
 */
function compare(title: string, description: string, metrics: string[], unit?: string) {
  return timeseries({
    title,
    description,
    w: 12,
    h: 8,
    legendCalcs: ['lastNotNull', 'max'],
    targets: [rlhf({ type: 'timeseries', run: '$runs', metric: metrics.length === 1 ? metrics[0] : metrics })],
    field: {
      unit,
      color: 'byName',
      // The run alone names the series, so its by-name colour is the same on every comparison panel.
      displayName: '${__field.labels.run}',
      links: [RUN_LINK],
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
        targets: [health('eta')],
        field: { unit: 'percentunit', decimals: 1, min: 0, max: 1, thresholds: steps(TEAL, [1, SUCCESS]) },
      }),
      stat({
        title: 'ETA',
        description: 'Time to max_steps at the step rate of the last hour (0 when finished, empty while stalled).',
        w: 4,
        h: 5,
        fields: inFrame('eta', 'eta_seconds'),
        colorMode: 'none',
        targets: [health('eta')],
        field: { unit: 's', decimals: 0, noValue: 'unknown' },
      }),
      stat({
        title: 'Step rate',
        description: 'Optimizer steps per hour over the last hour.',
        w: 4,
        h: 5,
        fields: inFrame('eta', 'steps_per_hour'),
        colorMode: 'none',
        targets: [health('eta')],
        field: { unit: 'short', decimals: 0, noValue: 'no recent steps' },
      }),
      table({
        title: 'Health signals',
        description:
          'RLHF failure signals judged on the smoothed curves: reward hacking (reward rising while KL exceeds its budget, or KL negative), entropy collapse, value-loss explosion, loss/reward spikes, length exploitation, stalled progress.',
        w: 12,
        h: 10,
        targets: [health('signals')],
        colouredFields: ['state'],
        field: {
          mappings: STATE_MAPPINGS,
          overrides: [
            { matcher: byName('since'), properties: [{ id: 'unit', value: 'dateTimeFromNow' }] },
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
        targets: [health('signals')],
        transformations: onlySignal('reward_hacking'),
        field: { mappings: STATE_MAPPINGS },
      }),
      stat({
        title: 'Entropy collapse',
        description: 'Policy entropy below 30% (warning) or 10% (critical) of its starting value.',
        w: 4,
        h: 5,
        fields: inFrame('signals', 'state'),
        targets: [health('signals')],
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
      // The rest of what the Python client samples from nvidia-smi (clients/python, system.py).
      ...(
        [
          ['GPU power', 'Board power draw per GPU (W).', 'gpu_power_watts', 'watt'],
          ['GPU temperature', 'Core temperature per GPU.', 'gpu_temperature_celsius', 'celsius'],
          [
            'GPU SM clock',
            'SM clock per GPU: a clock that drops while utilisation stays high points at power or thermal throttling.',
            'gpu_sm_clock_mhz',
            'suffix: MHz',
          ],
        ] as const
      ).map(([title, description, metric, unit]) =>
        timeseries({
          title,
          description,
          w: 8,
          h: 8,
          targets: [series(metric)],
          field: { unit, min: 0, color: 'shades', displayName: '${__field.labels.node} gpu ${__field.labels.gpu}' },
        })
      ),
      timeseries({
        title: 'Throughput',
        description: 'Training tokens per second.',
        w: 24,
        h: 7,
        targets: [series('tokens_per_second')],
        field: { unit: 'short', fixedColor: TEAL_DARK, displayName: 'tokens/s' },
      })
    )
    .row("GPUs of the run's hosts (dcgm-exporter, Prometheus)")
    .add(...gpuPanels('Hostname=~"$host"', 'the selected hosts'))
    .row('Compare runs')
    .add(
      compare('Compare: reward', 'PPO objective/rlhf_reward and DPO rewards/margins of each selected run.', [
        'objective/rlhf_reward',
        'rewards/margins',
      ]),
      compare('Compare: KL to the reference', 'objective/kl of each selected run (PPO; DPO logs no KL).', [
        'objective/kl',
      ]),
      compare(
        'Compare: evaluation win rate',
        'eval/win_rate vs the SFT model at each checkpoint.',
        ['eval/win_rate'],
        'percentunit'
      ),
      compare('Compare: training throughput', 'Training tokens per second of each selected run.', ['tokens_per_second'])
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
      {
        ...catalogVariable({
          name: 'runs',
          label: 'Compare runs',
          of: 'runs',
          defaultValue: 'ppo-llama3-8b',
          // Training runs only: serving deployments (serve-*) and pipelines share the runs catalog.
          regex: '/^(?!serve-|annotation-).+$/',
          description: 'Runs overlaid on the Compare rows, one colour per run.',
        }),
        multi: true,
        current: {
          selected: true,
          text: ['dpo-llama3-8b', 'ppo-llama3-8b'],
          value: ['dpo-llama3-8b', 'ppo-llama3-8b'],
        },
      },
      runHostsVariable(),
    ],
    annotations: [
      eventAnnotation('Checkpoints', ['checkpoint', '$run'], TEAL),
      eventAnnotation('Training incidents', ['training', 'incident', '$run'], ERROR),
    ],
    grid,
  });
}
