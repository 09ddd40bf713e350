import { fireEvent, screen } from '@testing-library/react';
import { type DataFrame, dataFrameFromJSON, type DataFrameJSON, toDataFrame } from '@grafana/data';
import { categoricalPsi, chiSquare, driftHistogram, driftSummary } from '@rlhf-monitor/contract';
import { darkTheme, lightTheme, panelData, renderPanel } from '../../shared/testing';
import { fmt } from '../../shared/format';
import { defaultOptions } from '../types';
import { DriftPanel } from './DriftPanel';

// Reference: 200 evenly spread values on [0, 1). Shifting the current population by 0 / 0.08 / 0.3 gives
// PSI 0 (none), 0.176 (moderate) and 2.49 (major) with the service's own analytics.
const REF = Array.from({ length: 200 }, (_, i) => i / 200);
const shifted = (s: number) => REF.map((v) => v + s);

/** Our `drift` query's frames for one feature (summary without `severity`, as in DESIGN.md, plus histogram). */
function driftFrames(refId: string, shift: number): DataFrame[] {
  const s = driftSummary(REF, shifted(shift));
  const h = driftHistogram(REF, shifted(shift));
  return [
    toDataFrame({
      name: 'summary',
      refId,
      fields: [
        { name: 'psi', values: [s.psi] },
        { name: 'ks_statistic', values: [s.ks_statistic] },
        { name: 'ks_pvalue', values: [s.ks_pvalue] },
        { name: 'wasserstein', values: [s.wasserstein] },
        { name: 'js_divergence', values: [s.js_divergence] },
        { name: 'reference_count', values: [s.reference_count] },
        { name: 'current_count', values: [s.current_count] },
      ],
    }),
    toDataFrame({
      name: 'histogram',
      refId,
      fields: [
        { name: 'bin_lower', values: h.map((b) => b.lower) },
        { name: 'bin_upper', values: h.map((b) => b.upper) },
        { name: 'reference', values: h.map((b) => b.reference) },
        { name: 'current', values: h.map((b) => b.current) },
      ],
    }),
  ];
}

const request = (targets: Array<{ refId: string; feature: string }>) => ({
  targets: targets.map((t) => ({ ...t, type: 'drift', reference: 'training', current: 'production' })),
});

/** Targets A, B and C of the several-features cases. */
const THREE_FEATURES = request([
  { refId: 'A', feature: 'prompt_length' },
  { refId: 'B', feature: 'reward_score' },
  { refId: 'C', feature: 'response_length' },
]);

describe('DriftPanel', () => {
  it('one feature: overlaid histogram, statistics and a red "major" badge', () => {
    const s = driftSummary(REF, shifted(0.3));
    renderPanel(DriftPanel, {
      data: panelData(driftFrames('A', 0.3), request([{ refId: 'A', feature: 'reward_score' }])),
      options: defaultOptions,
    });
    expect(screen.getByTestId('drift-panel')).toHaveAttribute('data-layout', 'single');
    expect(screen.getAllByTestId('drift-bin')).toHaveLength(20);
    expect(screen.getAllByTestId('drift-ref-bar')).toHaveLength(20);
    expect(screen.getByText('reward_score')).toBeInTheDocument();
    expect(screen.getByTestId('drift-psi')).toHaveTextContent(`PSI ${s.psi.toFixed(3)}`);
    expect(screen.getByTestId('drift-stat-psi')).toHaveTextContent('2.486');
    expect(screen.getByTestId('drift-stat-ks')).toHaveTextContent(`${fmt(s.ks_statistic)} (p ${fmt(s.ks_pvalue, 2)})`);
    expect(screen.getByTestId('drift-stat-wasserstein')).toHaveTextContent('0.300');
    expect(screen.getByTestId('drift-stat-n')).toHaveTextContent('200 / 200');
    const badge = screen.getByTestId('drift-severity');
    expect(badge).toHaveAttribute('data-severity', 'major');
    expect(badge).toHaveStyle({ background: '#DC2626' });
    // The chart's text alternative carries its key figure: where the current share moved most.
    expect(screen.getByRole('img', { name: /^Distribution of training/ })).toHaveAccessibleName(
      expect.stringMatching(/20 bins; largest shift at .+: training \d+\.\d%, production \d+\.\d%$/)
    );
    // The legend names the populations from the query target.
    expect(screen.getByTestId('drift-histogram')).toHaveTextContent('training');
    expect(screen.getByTestId('drift-histogram')).toHaveTextContent('production');
  });

  it('names the populations with the dashboard variables interpolated, never "$reference" literally', () => {
    renderPanel(DriftPanel, {
      data: panelData(driftFrames('A', 0.3), {
        targets: [{ refId: 'A', type: 'drift', feature: '$feature', reference: '$reference', current: '$current' }],
      } as never),
      options: defaultOptions,
      variables: { reference: 'training', current: 'canary', feature: 'reward_score' },
    });
    const legend = screen.getByTestId('drift-histogram');
    expect(legend).toHaveTextContent('training');
    expect(legend).toHaveTextContent('canary');
    expect(legend).not.toHaveTextContent('$');
    expect(screen.getByText('reward_score')).toBeInTheDocument();
  });

  it('colours each severity: none green, moderate amber, major red', () => {
    const cases: Array<[number, string, string]> = [
      [0, 'none', '#10B981'],
      [0.08, 'moderate', '#ffc107'],
      [0.3, 'major', '#DC2626'],
    ];
    for (const [shift, severity, colour] of cases) {
      const { unmount } = renderPanel(DriftPanel, {
        data: panelData(driftFrames('A', shift)),
        options: defaultOptions,
      });
      const badge = screen.getByTestId('drift-severity');
      expect(badge).toHaveAttribute('data-severity', severity);
      expect(badge).toHaveStyle({ background: colour });
      unmount();
    }
  });

  it('several features: one row each, most severe first, names from the query targets', () => {
    const frames = [...driftFrames('A', 0), ...driftFrames('B', 0.3), ...driftFrames('C', 0.08)];
    renderPanel(DriftPanel, {
      data: panelData(frames, THREE_FEATURES),
      options: defaultOptions,
      width: 900,
      height: 300,
    });
    const rows = screen.getAllByTestId('drift-feature-row');
    expect(rows.map((r) => r.getAttribute('data-feature'))).toEqual([
      'reward_score',
      'response_length',
      'prompt_length',
    ]);
    expect(screen.getAllByTestId('drift-severity').map((b) => b.getAttribute('data-severity'))).toEqual([
      'major',
      'moderate',
      'none',
    ]);
    expect(screen.getByText('2 drifting · histogram: reward_score')).toBeInTheDocument();
    // Rows are keyboard-selectable: Enter on a row switches the histogram to it.
    fireEvent.keyDown(rows[2], { key: 'Enter' });
    expect(screen.getByText('2 drifting · histogram: prompt_length')).toBeInTheDocument();
    expect(rows[2]).toHaveAttribute('tabindex', '0');
  });

  it('several features: only a row with a histogram to show takes the focus and can be picked', () => {
    // B's summary only (a `frames: ['summary']` target): its row has nothing to show beside the table.
    const frames = [...driftFrames('A', 0), driftFrames('B', 0.3)[0], ...driftFrames('C', 0.08)];
    renderPanel(DriftPanel, {
      data: panelData(frames, THREE_FEATURES),
      options: defaultOptions,
      width: 900,
      height: 300,
    });
    const [rewardScore, responseLength] = screen.getAllByTestId('drift-feature-row');
    expect(rewardScore).toHaveAttribute('data-feature', 'reward_score');
    expect(rewardScore).not.toHaveAttribute('tabindex');
    expect(rewardScore).not.toHaveAttribute('aria-selected');
    // The most severe feature with a histogram is shown; Enter or a click on the other row changes nothing.
    expect(screen.getByText('2 drifting · histogram: response_length')).toBeInTheDocument();
    fireEvent.keyDown(rewardScore, { key: 'Enter' });
    fireEvent.click(rewardScore);
    expect(screen.getByText('2 drifting · histogram: response_length')).toBeInTheDocument();
    expect(responseLength).toHaveAttribute('aria-selected', 'true');
  });

  it('several features: `selectedFeature` ($feature of a drill-down link) preselects a histogram; a click wins', () => {
    const frames = [...driftFrames('A', 0), ...driftFrames('B', 0.3), ...driftFrames('C', 0.08)];
    const data = panelData(frames, THREE_FEATURES);
    const header = () => screen.getByText(/^2 drifting · histogram: /).textContent;
    const selectedRow = () =>
      screen.getAllByTestId('drift-feature-row').filter((r) => r.getAttribute('aria-selected') === 'true');
    const view = renderPanel(DriftPanel, {
      data,
      options: defaultOptions,
      variables: { feature: 'prompt_length' },
      width: 900,
      height: 300,
    });
    // The least severe feature, preselected by the variable rather than the default (most severe first).
    expect(header()).toBe('2 drifting · histogram: prompt_length');
    expect(selectedRow().map((r) => r.getAttribute('data-feature'))).toEqual(['prompt_length']);
    // The user's click on a row wins over the preselection ...
    fireEvent.click(screen.getAllByTestId('drift-feature-row')[1]);
    expect(header()).toBe('2 drifting · histogram: response_length');
    view.update({ data: { ...data } }); // a refresh keeps the pick
    expect(header()).toBe('2 drifting · histogram: response_length');
    // ... until another link sets another feature.
    view.update({ variables: { feature: 'reward_score' } });
    expect(header()).toBe('2 drifting · histogram: reward_score');
    // Empty or unknown: the most severe feature, as without the option.
    view.update({ variables: { feature: '' } });
    expect(header()).toBe('2 drifting · histogram: reward_score');
    view.update({ variables: {}, options: { ...defaultOptions, selectedFeature: 'no_such_feature' } });
    expect(header()).toBe('2 drifting · histogram: reward_score');
    view.update({ variables: {}, options: { ...defaultOptions, selectedFeature: 'response_length' } });
    expect(header()).toBe('2 drifting · histogram: response_length');
  });

  it('reads a `features` frame and sorts by its severity column', () => {
    const features = toDataFrame({
      name: 'features',
      fields: [
        { name: 'feature', values: ['a', 'b', 'c', 'd'] },
        { name: 'psi', values: [0.05, 0.4, 0.12, 0.3] },
        { name: 'ks_statistic', values: [0.01, 0.3, 0.1, 0.2] },
        { name: 'wasserstein', values: [0.1, 2, 0.5, 1] },
        { name: 'js_divergence', values: [0.001, 0.2, 0.05, 0.1] },
        { name: 'severity', values: ['none', 'major', 'moderate', 'major'] },
      ],
    });
    renderPanel(DriftPanel, { data: panelData([features]), options: defaultOptions, width: 600, height: 300 });
    expect(screen.getAllByTestId('drift-feature-row').map((r) => r.getAttribute('data-feature'))).toEqual([
      'b',
      'd',
      'c',
      'a',
    ]);
  });

  it('shows the chi-square p-value for a categorical row of the service `features` frame (wire JSON)', () => {
    const json = {
      schema: {
        name: 'features',
        refId: 'G',
        fields: [
          { name: 'feature', type: 'string' },
          { name: 'kind', type: 'string' },
          { name: 'psi', type: 'number' },
          { name: 'ks_statistic', type: 'number' },
          { name: 'chi_square_pvalue', type: 'number' },
          { name: 'severity', type: 'string' },
        ],
      },
      data: {
        values: [
          ['reward_score', 'category'],
          ['numeric', 'categorical'],
          [1.98, 0.74],
          [0.496, null],
          [null, 0.0000549],
          ['major', 'major'],
        ],
      },
    };
    renderPanel(DriftPanel, {
      data: panelData([dataFrameFromJSON(json as DataFrameJSON)]),
      options: defaultOptions,
      width: 600,
      height: 300,
    });
    const rows = screen.getAllByTestId('drift-feature-row');
    expect(rows[0]).toHaveTextContent('0.496');
    expect(rows[1]).toHaveTextContent('χ² p 5.5e-5');
  });

  it('compares two raw numeric sample fields from any data source with the shared analytics', () => {
    const raw = toDataFrame({
      refId: 'X',
      fields: [
        { name: 'train_len', values: REF },
        { name: 'prod_len', values: shifted(0.08) },
      ],
    });
    renderPanel(DriftPanel, {
      data: panelData([raw]),
      options: { ...defaultOptions, referenceField: 'train_len', currentField: 'prod_len', bins: 10 },
    });
    const s = driftSummary(REF, shifted(0.08));
    expect(screen.getByTestId('drift-psi')).toHaveTextContent(`PSI ${s.psi.toFixed(3)}`);
    expect(screen.getByTestId('drift-severity')).toHaveAttribute('data-severity', 'moderate');
    expect(screen.getAllByTestId('drift-bin')).toHaveLength(10);
  });

  it('draws a categorical feature from the `categories` frame, one bar per category', () => {
    const ref = [...Array(50).fill('coding'), ...Array(30).fill('chat'), ...Array(20).fill('safety')];
    const cur = [...Array(20).fill('coding'), ...Array(30).fill('chat'), ...Array(50).fill('safety')];
    const c = chiSquare(ref, cur);
    const psi = categoricalPsi(c.categories);
    const frames = [
      toDataFrame({
        name: 'summary',
        refId: 'A',
        fields: [
          { name: 'chi_square', values: [c.statistic] },
          { name: 'psi', values: [psi] },
          { name: 'severity', values: ['major'] },
        ],
      }),
      toDataFrame({
        name: 'categories',
        refId: 'A',
        fields: [
          { name: 'category', values: c.categories.map((x) => x.category) },
          { name: 'reference', values: c.categories.map((x) => x.reference) },
          { name: 'current', values: c.categories.map((x) => x.current) },
        ],
      }),
    ];
    renderPanel(DriftPanel, {
      data: panelData(frames, request([{ refId: 'A', feature: 'category' }])),
      options: defaultOptions,
    });
    expect(screen.getAllByTestId('drift-bin')).toHaveLength(3);
    expect(
      screen
        .getAllByTestId('drift-category')
        .map((t) => t.textContent)
        .sort()
    ).toEqual(['chat', 'coding', 'safety']);
    expect(screen.getByTestId('drift-psi')).toHaveTextContent(`PSI ${psi.toFixed(3)}`);
    expect(screen.getByTestId('drift-severity')).toHaveAttribute('data-severity', 'major');
  });

  it('shows the empty state naming the missing sample fields', () => {
    const other = toDataFrame({ fields: [{ name: 'latency', values: [1, 2, 3] }] });
    renderPanel(DriftPanel, { data: panelData([other]), options: defaultOptions });
    const empty = screen.getByTestId('humain-empty');
    expect(empty).toHaveTextContent('No data for this range');
    expect(empty).toHaveTextContent('numeric sample fields "reference" and "current"');
  });

  it('uses the theme: reference bars follow the mode, current bars stay teal', () => {
    const { unmount } = renderPanel(DriftPanel, { data: panelData(driftFrames('A', 0.3)), options: defaultOptions });
    const lightRef = screen.getAllByTestId('drift-ref-bar')[0].getAttribute('fill');
    expect(screen.getAllByTestId('drift-cur-bar')[0]).toHaveAttribute('fill', '#1DB584');
    unmount();
    renderPanel(DriftPanel, { data: panelData(driftFrames('A', 0.3)), options: defaultOptions, theme: 'dark' });
    const darkRef = screen.getAllByTestId('drift-ref-bar')[0].getAttribute('fill');
    expect(screen.getAllByTestId('drift-cur-bar')[0]).toHaveAttribute('fill', '#1DB584');
    expect(lightRef).not.toBe(darkRef);
    expect(lightTheme.isDark).toBe(false);
    expect(darkTheme.isDark).toBe(true);
  });

  it('fits a 4x3 grid cell (~200x90): severity, PSI and a sparkline histogram', () => {
    renderPanel(DriftPanel, {
      data: panelData(driftFrames('A', 0.3)),
      options: defaultOptions,
      width: 200,
      height: 90,
    });
    expect(screen.getByTestId('drift-panel')).toHaveAttribute('data-layout', 'compact');
    expect(screen.getByTestId('drift-psi')).toHaveTextContent('PSI 2.49');
    const svg = screen.getByTestId('drift-histogram');
    expect(Number(svg.getAttribute('width')) + 110).toBeLessThanOrEqual(200);
    expect(screen.queryByTestId('drift-stats')).not.toBeInTheDocument();
  });

  it('lists several features compactly in a tiny panel', () => {
    const frames = [...driftFrames('A', 0), ...driftFrames('B', 0.3), ...driftFrames('C', 0.08)];
    renderPanel(DriftPanel, { data: panelData(frames), options: defaultOptions, width: 200, height: 90 });
    expect(screen.getAllByTestId('drift-feature-row').map((r) => r.getAttribute('data-feature'))).toEqual([
      'B',
      'C',
      'A',
    ]);
  });
});
