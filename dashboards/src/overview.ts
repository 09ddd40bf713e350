// "RLHF · Pipeline Overview": the four phases at a glance (pipeline panel), one headline row per phase,
// each stat linking to its phase dashboard. The home dashboard of the compose stack.
import { STATUS_WINDOW_HOURS } from '@rlhf-monitor/contract';
import type { PipelineOptions } from '../../src/panels/pipeline/types';
import {
  catalogVariable,
  dashboard,
  eventAnnotation,
  Grid,
  promInstant,
  rlhf,
  steps,
  type ProvisionedDashboard,
} from './builders';
import { ALERT_FOLDER } from './alerts';
import { LANDIS_KOCH } from './data';
import { ERROR_RATE_STEPS, LATENCY_STEPS, SERVICE_UP_FIELD } from './deployment';
import { ECE_STEPS, PSI_STEPS } from './evaluation';
import { DASHBOARDS, linkTo } from './links';
import { ERROR, SUCCESS, TEAL, WARNING } from './palette';
import { alertList, byName, humainPanel, stat, inFrame, table } from './panels';
import { onlySignal, STATE_MAPPINGS } from './training';

/** The windows the service judges phase states on (the contract's defaults of its status rules). */
const STATUS_WINDOW = `${STATUS_WINDOW_HOURS.recent}h`;
const STATUS_REFERENCE_WINDOW = `${STATUS_WINDOW_HOURS.reference}h`;

/** The pipeline panel reads the `status` frame plus one headline frame per phase, found by refId. */
export const PIPELINE_OPTIONS: PipelineOptions = {
  data: {
    url: '/d/rlhf-data',
    source: 'data',
    field: 'krippendorff_alpha',
    label: 'Agreement α',
    unit: '',
    decimals: 2,
  },
  training: { url: '/d/rlhf-training', source: 'training', field: 'value', label: 'Reward', unit: '', decimals: 2 },
  evaluation: {
    url: '/d/rlhf-evaluation',
    source: 'evaluation',
    field: 'ece',
    label: 'ECE',
    unit: 'percentunit',
    decimals: 1,
  },
  deployment: {
    url: '/d/rlhf-deployment',
    source: 'deployment',
    field: 'value',
    label: 'p99 latency',
    unit: 'ms',
    decimals: 0,
  },
  keepTimeRange: true,
};

export function overview(): ProvisionedDashboard {
  const d = DASHBOARDS.overview;
  const run = (metric: string, r = '$run') => rlhf({ type: 'timeseries', run: r, metric });

  const grid = new Grid()
    .add(
      humainPanel(
        'humain-pipeline-panel',
        {
          title: 'RLHF pipeline',
          description:
            'Data collection → Training → Evaluation → Deployment: each phase with its state (reason on hover), a headline figure and a link to its dashboard.',
          w: 24,
          h: 6,
          // Headlines over the window the states are judged on, so a card's figure and its reason agree.
          timeFrom: STATUS_WINDOW,
          targets: [
            rlhf({ type: 'status' }, 'status'),
            rlhf({ type: 'agreement', dataset: 'prefs-helpfulness' }, 'data'),
            rlhf({ type: 'timeseries', run: '$run', metric: 'objective/rlhf_reward' }, 'training'),
            rlhf({ type: 'calibration', model: 'reward-model' }, 'evaluation'),
            rlhf({ type: 'timeseries', run: 'serve-prod', metric: 'latency_p99_ms' }, 'deployment'),
          ],
        },
        { ...PIPELINE_OPTIONS }
      )
    )
    .row('1 · Data collection')
    .add(
      stat({
        title: 'Records ingested',
        description: 'Records the annotation pipeline accepted over the time range.',
        w: 6,
        h: 5,
        calc: 'sum',
        sparkline: true,
        colorMode: 'none',
        targets: [run('records_ingested', 'annotation-pipeline')],
        field: { unit: 'short', decimals: 0, displayName: 'records' },
        links: [linkTo('data')],
      }),
      stat({
        title: 'Reject rate',
        description: 'Latest rejected / ingested; amber from 5%, red from 10%.',
        w: 6,
        h: 5,
        sparkline: true,
        targets: [run('reject_rate', 'annotation-pipeline')],
        field: {
          unit: 'percentunit',
          decimals: 1,
          displayName: 'reject rate',
          thresholds: steps(SUCCESS, [0.05, WARNING], [0.1, ERROR]),
        },
        links: [linkTo('data')],
      }),
      stat({
        title: "Krippendorff's α · prefs-helpfulness",
        description: 'Inter-annotator agreement (nominal alpha), coloured by the Landis & Koch bands.',
        w: 6,
        h: 5,
        fields: inFrame('summary', 'krippendorff_alpha'),
        targets: [rlhf({ type: 'agreement', dataset: 'prefs-helpfulness', frames: ['summary'] })],
        field: { decimals: 3, thresholds: LANDIS_KOCH },
        links: [linkTo('data')],
      }),
      stat({
        title: "Krippendorff's α · prefs-safety",
        description: 'Inter-annotator agreement (nominal alpha), coloured by the Landis & Koch bands.',
        w: 6,
        h: 5,
        fields: inFrame('summary', 'krippendorff_alpha'),
        targets: [rlhf({ type: 'agreement', dataset: 'prefs-safety', frames: ['summary'] })],
        field: { decimals: 3, thresholds: LANDIS_KOCH },
        links: [linkTo('data')],
      })
    )
    .row('2 · Training · $run')
    .add(
      stat({
        title: 'Progress',
        description: 'Latest step / max_steps.',
        w: 6,
        h: 5,
        fields: inFrame('eta', 'progress'),
        targets: [rlhf({ type: 'health', run: '$run', metrics: [], frames: ['eta'] })],
        field: { unit: 'percentunit', decimals: 1, min: 0, max: 1, thresholds: steps(TEAL, [1, SUCCESS]) },
        links: [linkTo('training', ['run'])],
      }),
      stat({
        title: 'Reward',
        description: 'objective/rlhf_reward, latest (PPO).',
        w: 6,
        h: 5,
        sparkline: true,
        colorMode: 'none',
        targets: [run('objective/rlhf_reward')],
        field: { decimals: 2, displayName: 'reward' },
        links: [linkTo('training', ['run'])],
      }),
      stat({
        title: 'KL',
        description: 'objective/kl, latest: distance from the reference policy.',
        w: 6,
        h: 5,
        sparkline: true,
        colorMode: 'none',
        targets: [run('objective/kl')],
        field: { decimals: 2, displayName: 'KL' },
        links: [linkTo('training', ['run'])],
      }),
      stat({
        title: 'Reward hacking',
        description: 'Reward rising while KL runs past its budget: the policy exploits the reward model.',
        w: 6,
        h: 5,
        fields: inFrame('signals', 'state'),
        targets: [rlhf({ type: 'health', run: '$run', metrics: [], frames: ['signals'] })],
        transformations: onlySignal('reward_hacking'),
        field: { mappings: STATE_MAPPINGS },
        links: [linkTo('training', ['run'])],
      }),
      table({
        title: 'Runs',
        description:
          'Every run the service knows (training runs, the serving deployment, the annotation pipeline) with its phases and newest point, whatever the time range; click a run to open it in Training.',
        w: 24,
        h: 7,
        sortBy: [{ displayName: 'newest point', desc: true }],
        targets: [rlhf({ type: 'catalog', of: 'runs', detail: true })],
        field: {
          overrides: [
            { matcher: byName('metrics'), properties: [{ id: 'displayName', value: 'metric names' }] },
            { matcher: byName('last_step'), properties: [{ id: 'displayName', value: 'newest step' }] },
            {
              matcher: byName('last_time'),
              properties: [
                { id: 'displayName', value: 'newest point' },
                { id: 'unit', value: 'dateTimeFromNow' },
              ],
            },
          ],
        },
      })
    )
    .row('3 · Evaluation')
    .add(
      stat({
        title: 'Win rate',
        description: 'eval/win_rate of the newest checkpoint.',
        w: 6,
        h: 5,
        sparkline: true,
        targets: [run('eval/win_rate')],
        field: { unit: 'percentunit', decimals: 1, displayName: 'win rate', thresholds: steps(ERROR, [0.5, TEAL]) },
        links: [linkTo('evaluation', ['run'])],
      }),
      stat({
        title: 'Reward-model ECE',
        description:
          'Expected calibration error of reward-model over the last 24 h, the window the Evaluation state above is judged on.',
        // The window the Evaluation phase state is judged on (status: last 24 h): one page, one answer.
        timeFrom: STATUS_WINDOW,
        w: 6,
        h: 5,
        fields: inFrame('summary', 'ece'),
        targets: [rlhf({ type: 'calibration', model: 'reward-model', frames: ['summary'] })],
        field: { unit: 'percentunit', decimals: 2, thresholds: ECE_STEPS },
        links: [linkTo('evaluation')],
      }),
      stat({
        title: 'Response-length drift (PSI)',
        description: `PSI of response length: production over the last ${STATUS_WINDOW_HOURS.recent} h against training data over the last ${STATUS_WINDOW_HOURS.reference / 24} days (the windows of the Evaluation state).`,
        // The windows the Evaluation phase state is judged on: one page, one answer.
        timeFrom: STATUS_WINDOW,
        w: 6,
        h: 5,
        fields: inFrame('summary', 'psi'),
        targets: [
          rlhf({
            type: 'drift',
            feature: 'response_length',
            reference: 'training',
            current: 'production',
            reference_window: STATUS_REFERENCE_WINDOW,
            frames: ['summary'],
          }),
        ],
        field: { decimals: 3, thresholds: PSI_STEPS },
        links: [linkTo('evaluation')],
      }),
      stat({
        title: 'Prompt-length drift (PSI)',
        description: `PSI of prompt length: production over the last ${STATUS_WINDOW_HOURS.recent} h against training data over the last ${STATUS_WINDOW_HOURS.reference / 24} days (the windows of the Evaluation state).`,
        // The windows the Evaluation phase state is judged on: one page, one answer.
        timeFrom: STATUS_WINDOW,
        w: 6,
        h: 5,
        fields: inFrame('summary', 'psi'),
        targets: [
          rlhf({
            type: 'drift',
            feature: 'prompt_length',
            reference: 'training',
            current: 'production',
            reference_window: STATUS_REFERENCE_WINDOW,
            frames: ['summary'],
          }),
        ],
        field: { decimals: 3, thresholds: PSI_STEPS },
        links: [linkTo('evaluation')],
      })
    )
    .row('4 · Deployment')
    .add(
      stat({
        title: 'p99 latency',
        description: 'Latest p99 latency per version; red above the 2000 ms SLO.',
        w: 6,
        h: 5,
        sparkline: true,
        targets: [run('latency_p99_ms', 'serve-prod')],
        field: {
          unit: 'ms',
          decimals: 0,
          displayName: '${__field.labels.version} · ${__field.labels.track}',
          thresholds: LATENCY_STEPS,
        },
        links: [linkTo('deployment')],
      }),
      stat({
        title: 'Error rate',
        description: 'Latest error rate per version; the alert fires above 2% for 5 minutes.',
        w: 6,
        h: 5,
        sparkline: true,
        targets: [run('error_rate', 'serve-prod')],
        field: {
          unit: 'percentunit',
          decimals: 2,
          displayName: '${__field.labels.version} · ${__field.labels.track}',
          thresholds: ERROR_RATE_STEPS,
        },
        links: [linkTo('deployment')],
      }),
      stat({
        title: 'Metrics service',
        description: 'Prometheus scrape of the RLHF metrics service.',
        w: 4,
        h: 5,
        colorMode: 'background',
        targets: [promInstant('up{job="rlhf-monitor"}', '{{instance}}')],
        field: SERVICE_UP_FIELD,
        links: [linkTo('deployment')],
      }),
      alertList({
        title: 'Alerts',
        description: `Grafana-managed alert rules of the "${ALERT_FOLDER}" folder.`,
        w: 8,
        h: 5,
      })
    );

  return dashboard({
    uid: d.uid,
    title: d.title,
    description:
      'The RLHF pipeline at a glance: phase states and one headline row per phase, with links to each phase dashboard.',
    tags: ['overview'],
    variables: [catalogVariable({ name: 'run', label: 'Training run', of: 'runs', defaultValue: 'ppo-llama3-8b' })],
    annotations: [eventAnnotation('Incidents', ['incident'], '#EF4444')],
    grid,
  });
}
