import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { FieldType, locationUtil, toDataFrame } from '@grafana/data';
import { calibration } from '@rlhf-monitor/contract';
import { darkTheme, lightTheme, panelData, renderPanel } from '../../shared/testing';
import { defaultOptions } from '../types';
import { PipelinePanel } from './PipelinePanel';

const T0 = Date.parse('2026-11-24T05:50:00Z');

/** The `status` query frame: one row per phase (DESIGN.md). */
function statusFrame(states: Record<string, string> = {}) {
  const phases = ['data', 'training', 'evaluation', 'deployment'];
  const s = { data: 'ok', training: 'warning', evaluation: 'critical', deployment: 'unknown', ...states };
  return toDataFrame({
    name: 'status',
    refId: 'A',
    fields: [
      { name: 'phase', type: FieldType.string, values: phases },
      { name: 'state', type: FieldType.string, values: phases.map((p) => s[p as keyof typeof s]) },
      {
        name: 'reason',
        type: FieldType.string,
        values: [
          'Agreement alpha 0.81 over 1,200 items',
          'KL 12.4 above 10 while reward rises: possible reward hacking',
          'ECE 0.12 above 0.1 on reward-model',
          'No deployment metrics in the last 15 minutes',
        ],
      },
      { name: 'updated', type: FieldType.time, values: phases.map(() => T0) },
    ],
  });
}

/** Headline frames as the overview dashboard queries them. */
function headlineFrames() {
  const cal = calibration([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0], [0, 0, 1, 0, 1, 1, 0, 1, 1, 1]);
  return [
    toDataFrame({
      name: 'summary',
      refId: 'B',
      fields: [
        { name: 'krippendorff_alpha', values: [0.8123] },
        { name: 'fleiss_kappa', values: [0.79] },
      ],
    }),
    toDataFrame({
      refId: 'C',
      fields: [
        { name: 'time', type: FieldType.time, values: [T0 - 60_000, T0] },
        { name: 'step', values: [100, 110] },
        { name: 'value', values: [1.1, 1.234], labels: { run: 'ppo-llama3-8b', metric: 'objective/rlhf_reward' } },
      ],
    }),
    toDataFrame({ name: 'summary', refId: 'D', fields: [{ name: 'ece', values: [cal.ece] }] }),
    toDataFrame({
      refId: 'E',
      fields: [
        { name: 'time', type: FieldType.time, values: [T0 - 60_000, T0] },
        { name: 'value', values: [120, 187.6], labels: { run: 'serve-prod', metric: 'latency_p99_ms' } },
      ],
    }),
  ];
}

const cards = () => screen.getAllByTestId('pipeline-phase');

describe('PipelinePanel', () => {
  it('draws the four phases in order with their states, colours and readable state words', () => {
    renderPanel(PipelinePanel, {
      data: panelData([statusFrame(), ...headlineFrames()]),
      options: defaultOptions,
      width: 1000,
      height: 160,
    });
    expect(screen.getByTestId('pipeline-panel')).toHaveAttribute('data-layout', 'horizontal');
    expect(cards().map((c) => c.getAttribute('data-phase'))).toEqual(['data', 'training', 'evaluation', 'deployment']);
    expect(cards().map((c) => c.getAttribute('data-state'))).toEqual(['ok', 'warning', 'critical', 'unknown']);
    const pills = screen.getAllByTestId('pipeline-state');
    expect(pills.map((p) => p.textContent)).toEqual(['✓ OK', '! Warning', '✕ Critical', '? Unknown']);
    expect(pills[0]).toHaveStyle({ background: '#10B981' });
    expect(pills[1]).toHaveStyle({ background: '#ffc107', color: '#1F2937' });
    expect(pills[2]).toHaveStyle({ background: '#DC2626' });
    expect(screen.getAllByText('Data collection')).toHaveLength(1);
  });

  it('shows the reason as text and in the accessible name, and on hover in a tooltip', async () => {
    renderPanel(PipelinePanel, {
      data: panelData([statusFrame(), ...headlineFrames()]),
      options: defaultOptions,
      width: 1000,
      height: 200,
    });
    expect(screen.getAllByTestId('pipeline-reason')[1]).toHaveTextContent('possible reward hacking');
    expect(cards()[1]).toHaveAccessibleName(expect.stringMatching(/^2 Training Warning .*KL 12\.4 above 10/));
    fireEvent.mouseEnter(cards()[2]);
    await waitFor(() =>
      expect(screen.getByRole('tooltip')).toHaveTextContent('Critical: ECE 0.12 above 0.1 on reward-model')
    );
  });

  it('links each phase to its dashboard with the time range, as keyboard-focusable links', () => {
    renderPanel(PipelinePanel, { data: panelData([statusFrame(), ...headlineFrames()]), options: defaultOptions });
    const links = screen.getAllByRole('link');
    expect(links.map((l) => l.getAttribute('href'))).toEqual([
      '/d/rlhf-data?from=now-6h&to=now',
      '/d/rlhf-training?from=now-6h&to=now',
      '/d/rlhf-evaluation?from=now-6h&to=now',
      '/d/rlhf-deployment?from=now-6h&to=now',
    ]);
    act(() => links[3].focus());
    expect(document.activeElement).toBe(links[3]);
  });

  it("puts the links under Grafana's sub-path (root_url with a path)", () => {
    locationUtil.initialize({
      config: { appSubUrl: '/grafana' } as never,
      getTimeRangeForUrl: () => ({}) as never,
      getVariablesUrlParams: () => ({}),
    });
    try {
      renderPanel(PipelinePanel, { data: panelData([statusFrame(), ...headlineFrames()]), options: defaultOptions });
      expect(screen.getAllByRole('link')[1]).toHaveAttribute('href', '/grafana/d/rlhf-training?from=now-6h&to=now');
    } finally {
      locationUtil.initialize({
        config: { appSubUrl: '' } as never,
        getTimeRangeForUrl: () => ({}) as never,
        getVariablesUrlParams: () => ({}),
      });
    }
  });

  it('honours configured URLs and the keep-time-range switch', () => {
    renderPanel(PipelinePanel, {
      data: panelData([statusFrame(), ...headlineFrames()]),
      options: {
        ...defaultOptions,
        keepTimeRange: false,
        training: { ...defaultOptions.training, url: '/d/custom?orgId=2' },
      },
    });
    expect(screen.getAllByRole('link')[1]).toHaveAttribute('href', '/d/custom?orgId=2');
    expect(screen.getAllByRole('link')[0]).toHaveAttribute('href', '/d/rlhf-data');
  });

  it('shows one headline per phase from the configured frames and fields', () => {
    renderPanel(PipelinePanel, {
      data: panelData([statusFrame(), ...headlineFrames()]),
      options: defaultOptions,
      width: 1000,
      height: 200,
    });
    const h = screen.getAllByTestId('pipeline-headline').map((e) => e.textContent);
    // alpha 0.8123 at 2 dp; last reward 1.234 at 2 dp; ECE 0.33 as a percentage at 1 dp; last p99 187.6 ms at 0 dp.
    expect(h).toEqual(['Agreement α0.81', 'Reward1.23', 'ECE33.0%', 'p99 latency188 ms']);
  });

  it('reads headlines by refId too (training = step from query C)', () => {
    renderPanel(PipelinePanel, {
      data: panelData([statusFrame(), ...headlineFrames()]),
      options: {
        ...defaultOptions,
        training: { ...defaultOptions.training, source: 'C', field: 'step', label: 'Step', decimals: 0 },
      },
      width: 1000,
      height: 200,
    });
    expect(screen.getAllByTestId('pipeline-headline')[1]).toHaveTextContent('Step110');
  });

  it('marks a phase missing from the status frame as unknown, and a missing headline as a dash', () => {
    const partial = toDataFrame({
      name: 'status',
      fields: [
        { name: 'phase', values: ['data', 'training'] },
        { name: 'state', values: ['ok', 'ok'] },
      ],
    });
    renderPanel(PipelinePanel, { data: panelData([partial]), options: defaultOptions, width: 1000, height: 200 });
    expect(cards().map((c) => c.getAttribute('data-state'))).toEqual(['ok', 'ok', 'unknown', 'unknown']);
    expect(screen.getAllByTestId('pipeline-reason')[3]).toHaveTextContent('No status reported for this phase');
    expect(screen.getAllByTestId('pipeline-headline')[0]).toHaveTextContent('Agreement α—');
  });

  it('shows the empty state naming the missing status frame', () => {
    renderPanel(PipelinePanel, { data: panelData(headlineFrames()), options: defaultOptions });
    const empty = screen.getByTestId('humain-empty');
    expect(empty).toHaveTextContent('No data for this range');
    expect(empty).toHaveTextContent('Missing the "status" frame (fields phase, state, reason, updated)');
  });

  it('uses the theme: the unknown state is muted differently in light and dark, the others keep the HUMAIN colours', () => {
    const { unmount } = renderPanel(PipelinePanel, { data: panelData([statusFrame()]), options: defaultOptions });
    const light = screen.getAllByTestId('pipeline-state')[3].style.background;
    unmount();
    renderPanel(PipelinePanel, { data: panelData([statusFrame()]), options: defaultOptions, theme: 'dark' });
    const dark = screen.getAllByTestId('pipeline-state')[3].style.background;
    expect(light).not.toBe(dark);
    expect(screen.getAllByTestId('pipeline-state')[0]).toHaveStyle({ background: '#10B981' });
    expect(lightTheme.isDark).not.toBe(darkTheme.isDark);
  });

  it('fits a 4x3 grid cell (~200x90): a 2x2 grid of four links that still spell out the state', () => {
    renderPanel(PipelinePanel, {
      data: panelData([statusFrame(), ...headlineFrames()]),
      options: defaultOptions,
      width: 200,
      height: 90,
    });
    expect(screen.getByTestId('pipeline-panel')).toHaveAttribute('data-layout', 'grid');
    expect(screen.getAllByRole('link')).toHaveLength(4);
    expect(screen.getByText('Train')).toBeInTheDocument();
    expect(cards()[2]).toHaveAccessibleName(expect.stringMatching(/Evaluation.*Critical/));
  });

  it('stacks vertically when narrow and tall', () => {
    renderPanel(PipelinePanel, { data: panelData([statusFrame()]), options: defaultOptions, width: 320, height: 500 });
    expect(screen.getByTestId('pipeline-panel')).toHaveAttribute('data-layout', 'vertical');
  });
});
