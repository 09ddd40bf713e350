// "RLHF · 3 Evaluation": accuracy / win rate per checkpoint, reward-model calibration (now and over time),
// and drift between a reference and a current population.
import { BRIER_BANDS, ECE_BANDS, MCE_BANDS, PSI_BANDS } from '@rlhf-monitor/contract';
import type { CalibrationOptions } from '../../src/panels/calibration/types';
import type { DriftOptions } from '../../src/panels/drift/types';
import {
  catalogVariable,
  customVariable,
  dashboard,
  eventAnnotation,
  Grid,
  linkVariable,
  rlhf,
  steps,
  type ProvisionedDashboard,
  type RlhfTarget,
} from './builders';
import { DASHBOARDS, dataLinkTo } from './links';
import { ERROR, SUCCESS, TEAL, TEAL_DARK, WARNING } from './palette';
import { barchart, barGauge, byName, byRefId, humainPanel, stat, timeseries, inFrame } from './panels';

export const DRIFT_FEATURES = ['prompt_length', 'response_length', 'reward_score'] as const;

/** The contract's ECE and PSI bands: the calibration and drift panels and the status rules use the same. */
export const ECE_STEPS = steps(SUCCESS, [ECE_BANDS.warning, WARNING], [ECE_BANDS.critical, ERROR]);
export const PSI_STEPS = steps(SUCCESS, [PSI_BANDS.moderate, WARNING], [PSI_BANDS.major, ERROR]);

export const CALIBRATION_OPTIONS: CalibrationOptions = {
  bins: 10,
  binning: 'uniform',
  confidenceField: 'confidence',
  correctField: 'correct',
  eceWarning: ECE_BANDS.warning,
  eceCritical: ECE_BANDS.critical,
  mceWarning: MCE_BANDS.warning,
  mceCritical: MCE_BANDS.critical,
  brierWarning: BRIER_BANDS.warning,
  brierCritical: BRIER_BANDS.critical,
  showHistogram: true,
};

export const DRIFT_OPTIONS: DriftOptions = {
  referenceField: 'reference',
  currentField: 'current',
  bins: 20,
  psiModerate: PSI_BANDS.moderate,
  psiMajor: PSI_BANDS.major,
  selectedFeature: '',
};

/** The Evaluation dashboard's variable a feature's bar sets: the drift panel shows that feature's histogram. */
export const FEATURE_VARIABLE = 'feature';

/**
 * A bar of one feature opens that feature's histogram: this dashboard with `$feature` set and the other
 * variables kept (listed, not ${__all_variables}, which would carry a second, older var-feature).
 */
export function featureLink(feature: string) {
  const keep = ['run', 'model', 'reference', 'current'].map((v) => [v, `\${${v}}`]);
  return dataLinkTo('evaluation', `Show the ${feature} histogram`, {
    ...Object.fromEntries(keep),
    [FEATURE_VARIABLE]: feature,
  });
}

/** One drift target per feature, refIds A, B, C in DRIFT_FEATURES order. */
export function driftTargets(reference: string, current: string): RlhfTarget[] {
  return DRIFT_FEATURES.map((feature, i) =>
    rlhf({ type: 'drift', feature, reference, current }, String.fromCharCode(65 + i))
  );
}

/** Names the per-feature summary fields by the feature of their query, each linking to its histogram. */
export function featureNames() {
  return DRIFT_FEATURES.map((feature, i) => ({
    matcher: byRefId(String.fromCharCode(65 + i)),
    properties: [
      { id: 'displayName', value: feature },
      { id: 'links', value: [featureLink(feature)] },
    ],
  }));
}

export function evaluation(): ProvisionedDashboard {
  const d = DASHBOARDS.evaluation;
  const evalSeries = (metric: string, refId: string, x?: 'step') =>
    rlhf({ type: 'timeseries', run: '$run', metric, ...(x ? { x } : {}) }, refId);
  const calibration = (extra: { interval?: string; frames?: string[] } = {}) =>
    rlhf({ type: 'calibration', model: '$model', bins: 10, binning: 'uniform', ...extra });

  const grid = new Grid()
    .row('Checkpoints · $run')
    .add(
      barchart({
        title: 'Accuracy and win rate per checkpoint',
        description: 'eval/accuracy and eval/win_rate of each saved checkpoint (x = training step).',
        w: 16,
        h: 9,
        xField: 'step',
        targets: [evalSeries('eval/accuracy', 'A', 'step'), evalSeries('eval/win_rate', 'B', 'step')],
        transformations: [
          { id: 'filterFieldsByName', options: { include: { names: ['step', 'value'] } } },
          { id: 'joinByField', options: { byField: 'step', mode: 'outer' } },
          {
            id: 'convertFieldType',
            options: { fields: {}, conversions: [{ targetField: 'step', destinationType: 'string' }] },
          },
        ],
        field: {
          unit: 'percentunit',
          min: 0,
          max: 1,
          decimals: 1,
          overrides: [
            {
              matcher: byRefId('A'),
              properties: [
                { id: 'displayName', value: 'accuracy' },
                { id: 'color', value: { mode: 'fixed', fixedColor: TEAL } },
              ],
            },
            {
              matcher: byRefId('B'),
              properties: [
                { id: 'displayName', value: 'win rate' },
                { id: 'color', value: { mode: 'fixed', fixedColor: TEAL_DARK } },
              ],
            },
          ],
        },
      }),
      stat({
        title: 'Latest accuracy',
        description: 'eval/accuracy of the newest checkpoint.',
        w: 4,
        h: 9,
        sparkline: true,
        targets: [evalSeries('eval/accuracy', 'A')],
        field: { unit: 'percentunit', decimals: 1, displayName: 'accuracy', thresholds: steps(WARNING, [0.6, TEAL]) },
      }),
      stat({
        title: 'Latest win rate',
        description: 'eval/win_rate against the reference policy; above 50% the policy is preferred.',
        w: 4,
        h: 9,
        sparkline: true,
        targets: [evalSeries('eval/win_rate', 'A')],
        field: { unit: 'percentunit', decimals: 1, displayName: 'win rate', thresholds: steps(ERROR, [0.5, TEAL]) },
      })
    )
    .row('Reward-model calibration · $model')
    .add(
      humainPanel(
        'humain-calibration-panel',
        {
          title: 'Reliability diagram',
          description:
            'Accuracy vs confidence per bin, against the diagonal; gaps shaded, bin counts shown. ECE, MCE and Brier read-outs.',
          w: 12,
          h: 13,
          targets: [calibration()],
        },
        { ...CALIBRATION_OPTIONS }
      ),
      stat({
        title: 'ECE',
        description:
          'Expected calibration error: sum over bins of n_b/N |accuracy_b - confidence_b| (Naeini et al. 2015).',
        w: 4,
        h: 5,
        fields: inFrame('summary', 'ece'),
        targets: [calibration({ frames: ['summary'] })],
        field: { unit: 'percentunit', decimals: 2, thresholds: ECE_STEPS },
      }),
      stat({
        title: 'MCE',
        description: 'Maximum calibration error: the largest bin gap.',
        w: 4,
        h: 5,
        fields: inFrame('summary', 'mce'),
        targets: [calibration({ frames: ['summary'] })],
        field: { unit: 'percentunit', decimals: 2, thresholds: steps(SUCCESS, [0.15, WARNING], [0.3, ERROR]) },
      }),
      stat({
        title: 'Brier score',
        description:
          'Mean squared error of the confidence against the outcome (Brier 1950); 0.25 = a constant 50% forecast.',
        w: 4,
        h: 5,
        fields: inFrame('summary', 'brier'),
        targets: [calibration({ frames: ['summary'] })],
        field: {
          decimals: 3,
          thresholds: steps(SUCCESS, [BRIER_BANDS.warning, WARNING], [BRIER_BANDS.critical, ERROR]),
        },
      }),
      timeseries({
        title: 'Calibration over time',
        description:
          'ECE and Brier score per 6 h window; a rising ECE means the reward model drifts out of calibration.',
        w: 12,
        h: 8,
        showPoints: true,
        thresholdsStyle: 'line',
        // Only the time buckets: the summary and bins frames have no time axis to draw.
        targets: [calibration({ interval: '6h', frames: ['timeline'] })],
        field: {
          decimals: 3,
          min: 0,
          thresholds: ECE_STEPS,
          overrides: [
            {
              matcher: byName('ece'),
              properties: [
                { id: 'displayName', value: 'ECE' },
                // A percentage to one decimal (the panel's 3 decimals are for the Brier score): "14.3%", not "14.300%".
                { id: 'decimals', value: 1 },
                { id: 'color', value: { mode: 'fixed', fixedColor: TEAL } },
              ],
            },
            {
              matcher: byName('brier'),
              properties: [
                { id: 'displayName', value: 'Brier' },
                { id: 'color', value: { mode: 'fixed', fixedColor: TEAL_DARK } },
              ],
            },
            {
              matcher: byName('accuracy'),
              properties: [
                { id: 'custom.hideFrom', value: { viz: true, legend: true, tooltip: false } },
                { id: 'unit', value: 'percentunit' },
              ],
            },
            {
              matcher: byName('count'),
              properties: [{ id: 'custom.hideFrom', value: { viz: true, legend: true, tooltip: false } }],
            },
          ],
        },
      })
    )
    .row('Drift · $reference vs $current')
    .add(
      humainPanel(
        'humain-drift-panel',
        {
          title: 'Drift: $reference vs $current',
          description:
            'Reference vs current distributions of prompt length, response length and reward score, with PSI, KS (+ p-value), Wasserstein and Jensen-Shannon; most severe first.',
          w: 16,
          h: 14,
          targets: driftTargets('$reference', '$current'),
        },
        // A bar of the PSI and KS gauges sets $feature: its histogram shows first.
        { ...DRIFT_OPTIONS, selectedFeature: `$${FEATURE_VARIABLE}` }
      ),
      barGauge({
        title: 'PSI by feature',
        description:
          'Population stability index, reference deciles (floored at 1e-4): < 0.1 none, 0.1-0.25 moderate, > 0.25 major. Click a bar for its histogram.',
        w: 8,
        h: 7,
        only: ['psi'],
        targets: driftTargets('$reference', '$current'),
        field: { decimals: 3, min: 0, max: 0.5, thresholds: PSI_STEPS, overrides: featureNames() },
      }),
      barGauge({
        title: 'KS statistic by feature',
        description:
          'Two-sample Kolmogorov-Smirnov statistic: the largest gap between the two empirical CDFs. Click a bar for its histogram.',
        w: 8,
        h: 7,
        only: ['ks_statistic'],
        targets: driftTargets('$reference', '$current'),
        field: {
          decimals: 3,
          min: 0,
          max: 1,
          thresholds: steps(SUCCESS, [0.1, WARNING], [0.2, ERROR]),
          overrides: featureNames(),
        },
      })
    )
    // The app's Playground page stores each A/B judgement; A's share of them is a human win rate.
    .row('Playground · people comparing two models')
    .add(
      timeseries({
        title: 'Playground win rate of model A',
        description:
          'Each judgement on the Playground page: 1 = A preferred, 0 = B, 0.5 = tie (labels model_a, model_b). The legend gives the mean over the range.',
        w: 16,
        h: 7,
        showPoints: true,
        legendCalcs: ['mean', 'count'],
        targets: [rlhf({ type: 'timeseries', run: 'playground', metric: 'playground/win_rate', phase: 'evaluation' })],
        field: {
          unit: 'percentunit',
          min: 0,
          max: 1,
          decimals: 1,
          displayName: 'A: ${__field.labels.model_a} vs B: ${__field.labels.model_b}',
        },
      }),
      stat({
        title: 'Win rate of A over the range',
        description: 'Mean of the judgements in the time range; above 50% people prefer model A.',
        w: 8,
        h: 7,
        calc: 'mean',
        targets: [rlhf({ type: 'timeseries', run: 'playground', metric: 'playground/win_rate', phase: 'evaluation' })],
        field: {
          unit: 'percentunit',
          decimals: 1,
          displayName: 'win rate of A',
          thresholds: steps(ERROR, [0.5, TEAL]),
        },
      })
    );

  return dashboard({
    uid: d.uid,
    title: d.title,
    description:
      'Phase 3: accuracy and win rate per checkpoint, reward-model calibration, and reference-vs-current drift.',
    tags: ['evaluation'],
    variables: [
      catalogVariable({
        name: 'run',
        label: 'Run',
        of: 'runs',
        defaultValue: 'ppo-llama3-8b',
        description: 'Training run whose checkpoints are evaluated.',
      }),
      catalogVariable({
        name: 'model',
        label: 'Model',
        of: 'models',
        defaultValue: 'reward-model',
        description: 'Model whose predictions are checked for calibration.',
      }),
      customVariable('reference', 'Reference', ['training', 'production'], 'training'),
      customVariable('current', 'Current', ['production', 'training'], 'production'),
      linkVariable(
        FEATURE_VARIABLE,
        'Drift histogram of',
        'The feature whose histogram the drift panel shows first: set by the bars of "PSI by feature" and "KS statistic by feature".'
      ),
    ],
    annotations: [eventAnnotation('Checkpoints', ['checkpoint', '$run'], TEAL)],
    grid,
  });
}
