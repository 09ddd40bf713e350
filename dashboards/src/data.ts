// "RLHF · 1 Data Collection": ingestion, annotation quality (agreement) and dataset distributions.
import { catalogVariable, dashboard, eventAnnotation, Grid, rlhf, steps, type ProvisionedDashboard } from './builders';
import { DASHBOARDS } from './links';
import { ERROR, MUTED, SUCCESS, TEAL, WARNING } from './palette';
import { barchart, barGauge, byName, stat, table, timeseries, inFrame } from './panels';

const PIPELINE_RUN = 'annotation-pipeline';

/**
 * Landis & Koch (1977) bands for kappa-type statistics: < 0.2 slight (or poor), 0.2-0.4 fair,
 * 0.4-0.6 moderate, 0.6-0.8 substantial, >= 0.8 almost perfect. Red / amber / teal / green here.
 */
export const LANDIS_KOCH = steps(ERROR, [0.2, WARNING], [0.4, '#f5d76e'], [0.6, TEAL], [0.8, SUCCESS]);
const LANDIS_KOCH_TEXT =
  'Landis & Koch bands: < 0.2 slight, 0.2-0.4 fair, 0.4-0.6 moderate, 0.6-0.8 substantial, >= 0.8 almost perfect.';

/** Reject rate: up to 5% is normal churn, 5-10% deserves a look, above 10% something upstream broke. */
const REJECT_STEPS = steps(SUCCESS, [0.05, WARNING], [0.1, ERROR]);

/** Bar charts draw one frame: keep the distribution columns of the drift reply (dropping its summary) and merge. */
function oneFrame(names: string[]) {
  return [
    { id: 'filterFieldsByName', options: { include: { names } } },
    { id: 'merge', options: {} },
  ];
}

export function dataCollection(): ProvisionedDashboard {
  const d = DASHBOARDS.data;
  const agreement = (refId = 'A', frames?: string[]) =>
    rlhf({ type: 'agreement', dataset: '$dataset', ...(frames ? { frames } : {}) }, refId);
  const distribution = (feature: string) =>
    rlhf({ type: 'drift', feature, reference: 'training', current: 'production' });

  const grid = new Grid()
    .row('Ingestion')
    .add(
      timeseries({
        title: 'Records ingested',
        description: 'Records the annotation pipeline accepted per reporting interval.',
        w: 9,
        h: 8,
        bars: true,
        fillOpacity: 70,
        targets: [rlhf({ type: 'timeseries', run: PIPELINE_RUN, metric: 'records_ingested' })],
        field: { unit: 'short', displayName: 'ingested', decimals: 0 },
      }),
      timeseries({
        title: 'Rejected records',
        description: 'Records that failed validation upstream of the store, per reporting interval.',
        w: 7,
        h: 8,
        bars: true,
        fillOpacity: 70,
        targets: [rlhf({ type: 'timeseries', run: PIPELINE_RUN, metric: 'records_rejected' })],
        field: { unit: 'short', displayName: 'rejected', decimals: 0, fixedColor: ERROR },
      }),
      stat({
        title: 'Reject rate',
        description: 'Latest rejected / ingested. Amber from 5%, red from 10%.',
        w: 4,
        h: 4,
        sparkline: true,
        targets: [rlhf({ type: 'timeseries', run: PIPELINE_RUN, metric: 'reject_rate' })],
        field: { unit: 'percentunit', decimals: 1, thresholds: REJECT_STEPS, displayName: 'reject rate' },
      }),
      stat({
        title: 'Ingested in range',
        description: 'Total records ingested over the dashboard time range.',
        w: 4,
        h: 4,
        calc: 'sum',
        colorMode: 'none',
        targets: [rlhf({ type: 'timeseries', run: PIPELINE_RUN, metric: 'records_ingested' })],
        field: { unit: 'short', decimals: 0, displayName: 'records' },
      }),
      timeseries({
        title: 'Reject rate over time',
        description: 'Rejected / ingested per interval, with the 5% and 10% lines.',
        w: 8,
        h: 4,
        thresholdsStyle: 'line',
        targets: [rlhf({ type: 'timeseries', run: PIPELINE_RUN, metric: 'reject_rate' })],
        field: { unit: 'percentunit', thresholds: REJECT_STEPS, displayName: 'reject rate', min: 0 },
      })
    )
    .row('Annotation quality · $dataset')
    .add(
      stat({
        title: "Krippendorff's α",
        description: `Nominal Krippendorff's alpha over all items of the dataset (missing ratings allowed). ${LANDIS_KOCH_TEXT}`,
        w: 5,
        h: 5,
        fields: inFrame('summary', 'krippendorff_alpha'),
        targets: [agreement('A', ['summary'])],
        field: { decimals: 3, thresholds: LANDIS_KOCH, min: -1, max: 1 },
      }),
      stat({
        title: "Fleiss' κ",
        description: `Fleiss' kappa; empty when items have different numbers of raters (it is then undefined). ${LANDIS_KOCH_TEXT}`,
        w: 5,
        h: 5,
        fields: inFrame('summary', 'fleiss_kappa'),
        targets: [agreement('A', ['summary'])],
        field: { decimals: 3, thresholds: LANDIS_KOCH, noValue: 'n/a (raters per item differ)' },
      }),
      stat({
        title: 'Percent agreement',
        description: 'Share of rater pairs on the same item that gave the same label (no chance correction).',
        w: 5,
        h: 5,
        fields: inFrame('summary', 'percent_agreement'),
        targets: [agreement('A', ['summary'])],
        field: { unit: 'percentunit', decimals: 1, thresholds: steps(MUTED) },
      }),
      stat({
        title: 'Items and annotators',
        description: 'Items with at least one rating, and distinct annotators, in the time range.',
        w: 5,
        h: 5,
        fields: inFrame('summary', 'items', 'annotators'),
        textMode: 'value_and_name',
        colorMode: 'none',
        targets: [agreement('A', ['summary'])],
        field: { decimals: 0 },
      }),
      stat({
        title: 'Landis & Koch band',
        description: `Band of Krippendorff's alpha. ${LANDIS_KOCH_TEXT}`,
        w: 4,
        h: 5,
        fields: inFrame('summary', 'landis_koch'),
        colorMode: 'none',
        targets: [agreement('A', ['summary'])],
      }),
      table({
        title: "Annotator pairs: Cohen's κ",
        description: `Cohen's kappa for every pair of annotators over the items both labelled, worst first. ${LANDIS_KOCH_TEXT}`,
        w: 10,
        h: 10,
        frameIndex: 1,
        sortBy: [{ displayName: "Cohen's κ", desc: false }],
        colouredFields: ['cohen_kappa'],
        targets: [agreement()],
        field: {
          thresholds: LANDIS_KOCH,
          overrides: [
            {
              matcher: byName('cohen_kappa'),
              properties: [
                { id: 'decimals', value: 3 },
                { id: 'displayName', value: "Cohen's κ" },
              ],
            },
            { matcher: byName('items'), properties: [{ id: 'displayName', value: 'shared items' }] },
            // Multi-frame replies get "<frame> <field>" display names ("pairs annotator_a"): name the columns.
            { matcher: byName('annotator_a'), properties: [{ id: 'displayName', value: 'annotator A' }] },
            { matcher: byName('annotator_b'), properties: [{ id: 'displayName', value: 'annotator B' }] },
          ],
        },
      }),
      barGauge({
        title: 'Agreement with the majority, per annotator',
        description:
          "Share of each annotator's labels that match the majority label of the item (items with 3+ ratings). A careless or adversarial annotator stands out at the bottom.",
        w: 14,
        h: 10,
        only: ['annotator', 'agreement_with_majority'],
        values: true,
        targets: [agreement()],
        field: {
          unit: 'percentunit',
          decimals: 1,
          min: 0,
          max: 1,
          displayName: '${__data.fields.annotator}',
          thresholds: steps(ERROR, [0.6, WARNING], [0.8, TEAL]),
        },
      })
    )
    .row('Dataset distributions (training data = reference, production traffic = current)')
    .add(
      barchart({
        title: 'Category mix',
        description: 'Share of each prompt category in the training data (reference) and in production (current).',
        w: 6,
        h: 9,
        xField: 'category',
        targets: [distribution('category')],
        transformations: oneFrame(['category', 'reference', 'current']),
        field: { unit: 'percentunit', decimals: 1, color: 'shades' },
      }),
      barchart({
        title: 'Prompt length distribution',
        description: 'Share of prompts per token-length bin, training data vs production.',
        w: 6,
        h: 9,
        xField: 'bin_lower',
        targets: [distribution('prompt_length')],
        transformations: oneFrame(['bin_lower', 'reference', 'current']),
        field: { unit: 'percentunit', decimals: 1, color: 'shades' },
      }),
      barchart({
        title: 'Response length distribution',
        description: 'Share of responses per token-length bin, training data vs production.',
        w: 6,
        h: 9,
        xField: 'bin_lower',
        targets: [distribution('response_length')],
        transformations: oneFrame(['bin_lower', 'reference', 'current']),
        field: { unit: 'percentunit', decimals: 1, color: 'shades' },
      }),
      barchart({
        title: 'Label balance · $dataset',
        description:
          'Share of each preference label over all ratings in the range. Far from even on A/B pairs suggests position bias.',
        w: 6,
        h: 9,
        xField: 'label',
        targets: [agreement()],
        transformations: oneFrame(['label', 'share']),
        field: { unit: 'percentunit', decimals: 1, min: 0, max: 1 },
      })
    )
    .row('Recent dataset batches')
    .add(
      table({
        title: 'Dataset batches · $dataset',
        description: 'Batches of labelled preference pairs published from this dataset, newest first.',
        w: 24,
        h: 8,
        sortBy: [{ displayName: 'time', desc: true }],
        targets: [rlhf({ type: 'events', tags: ['dataset-batch', '$dataset'] })],
        field: { custom: { cellOptions: { type: 'auto', wrapText: true } } },
      })
    );

  return dashboard({
    uid: d.uid,
    title: d.title,
    description: 'Phase 1: ingestion rate and rejects, preference-annotation agreement, and dataset distributions.',
    tags: ['data'],
    variables: [
      catalogVariable({
        name: 'dataset',
        label: 'Dataset',
        of: 'datasets',
        defaultValue: 'prefs-helpfulness',
        description: 'Preference dataset whose annotations are analysed.',
      }),
    ],
    annotations: [
      eventAnnotation('Dataset batches', ['dataset-batch', '$dataset'], TEAL, false),
      eventAnnotation('Data incidents', ['data', 'incident'], ERROR),
    ],
    grid,
  });
}
