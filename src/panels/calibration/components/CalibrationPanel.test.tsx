import { screen } from '@testing-library/react';
import { toDataFrame } from '@grafana/data';
import { calibration } from '@rlhf-monitor/contract';
import { darkTheme, lightTheme, panelData, renderPanel } from '../../shared/testing';
import { defaultOptions } from '../types';
import { CalibrationPanel } from './CalibrationPanel';

// Ten predictions, one per decile edge: hand-computed ECE 0.33, MCE 0.7, Brier 0.165, accuracy 0.6
// (bins 0.1..0.8 hold one point each; 0.9 and 1.0 share the last bin).
const CONF = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0];
const CORRECT = [0, 0, 1, 0, 1, 1, 0, 1, 1, 1];

/** What our `calibration` query returns: `summary` + `bins` frames, built from the shared analytics. */
function serviceFrames(refId = 'A') {
  const r = calibration(CONF, CORRECT, { bins: 10 });
  return [
    toDataFrame({
      name: 'summary',
      refId,
      fields: [
        { name: 'ece', values: [r.ece] },
        { name: 'mce', values: [r.mce] },
        { name: 'brier', values: [r.brier] },
        { name: 'accuracy', values: [r.accuracy] },
        { name: 'count', values: [r.count] },
      ],
    }),
    toDataFrame({
      name: 'bins',
      refId,
      fields: [
        { name: 'bin_lower', values: r.bins.map((b) => b.lower) },
        { name: 'bin_upper', values: r.bins.map((b) => b.upper) },
        { name: 'confidence', values: r.bins.map((b) => b.confidence) },
        { name: 'accuracy', values: r.bins.map((b) => b.accuracy) },
        { name: 'count', values: r.bins.map((b) => b.count) },
      ],
    }),
  ];
}

function rawFrame(correctName = 'correct') {
  return toDataFrame({
    refId: 'P',
    fields: [
      { name: 'time', type: 'time', values: CONF.map((_, i) => 1_700_000_000_000 + i) },
      { name: 'confidence', values: CONF },
      { name: correctName, values: CORRECT.map((c) => c === 1) },
    ],
  });
}

describe('CalibrationPanel', () => {
  it('the shared analytics agree with the hand computation (the figures the panel shows)', () => {
    const r = calibration(CONF, CORRECT, { bins: 10 });
    expect(r.ece).toBeCloseTo(0.33, 10);
    expect(r.mce).toBeCloseTo(0.7, 10);
    expect(r.brier).toBeCloseTo(0.165, 10);
    expect(r.bins.filter((b) => b.count > 0)).toHaveLength(9);
  });

  it('draws one bar per non-empty bin with its count, the diagonal and the gap shading from service frames', () => {
    renderPanel(CalibrationPanel, { data: panelData(serviceFrames()), options: defaultOptions });
    const bins = screen.getAllByTestId('cal-bin');
    expect(bins).toHaveLength(9);
    expect(bins.map((b) => b.getAttribute('data-count'))).toEqual(['1', '1', '1', '1', '1', '1', '1', '1', '2']);
    expect(screen.getAllByTestId('cal-bin-count').map((t) => t.textContent)).toEqual([
      '1',
      '1',
      '1',
      '1',
      '1',
      '1',
      '1',
      '1',
      '2',
    ]);
    // Every bin here is off the diagonal, so each has a gap rectangle.
    expect(screen.getAllByTestId('cal-gap')).toHaveLength(9);
    // The chart's text alternative carries its key figures.
    expect(screen.getByTestId('reliability-diagram')).toHaveAccessibleName(
      expect.stringMatching(/9 non-empty bins; largest gap in [\d.]+-[\d.]+: accuracy [\d.]+ at confidence [\d.]+$/)
    );
    expect(screen.getByTestId('cal-diagonal')).toBeInTheDocument();
    expect(screen.getAllByTestId('cal-hist-bar')).toHaveLength(10);
    expect(screen.getByTestId('cal-ece-value')).toHaveTextContent('0.330');
    expect(screen.getByTestId('cal-mce-value')).toHaveTextContent('0.700');
    expect(screen.getByTestId('cal-brier-value')).toHaveTextContent('0.165');
    expect(screen.getByTestId('cal-extras')).toHaveTextContent('acc 0.600 · n 10');
  });

  it('bins raw confidence/correct fields in the browser to the same figures', () => {
    renderPanel(CalibrationPanel, { data: panelData([rawFrame()]), options: defaultOptions });
    expect(screen.getAllByTestId('cal-bin')).toHaveLength(9);
    expect(screen.getByTestId('cal-ece-value')).toHaveTextContent('0.330');
    expect(screen.getByTestId('cal-brier-value')).toHaveTextContent('0.165');
  });

  it('honours the bin-count option and falls back to a `label` field', () => {
    renderPanel(CalibrationPanel, { data: panelData([rawFrame('label')]), options: { ...defaultOptions, bins: 5 } });
    // 5 bins of width 0.2: [0,.2) has 0.1; [.2,.4) .2,.3; [.4,.6) .4,.5; [.6,.8) .6,.7; [.8,1] .8,.9,1.0
    expect(screen.getAllByTestId('cal-bin').map((b) => b.getAttribute('data-count'))).toEqual([
      '1',
      '2',
      '2',
      '2',
      '3',
    ]);
    const r = calibration(CONF, CORRECT, { bins: 5 });
    expect(screen.getByTestId('cal-ece-value')).toHaveTextContent(r.ece!.toFixed(3));
  });

  it('colours each read-out by its thresholds: critical red, warning amber, ok green', () => {
    const frames = serviceFrames();
    const { unmount } = renderPanel(CalibrationPanel, { data: panelData(frames), options: defaultOptions });
    // ECE 0.33 >= 0.1 critical; MCE 0.7 >= 0.3 critical; Brier 0.165 < 0.2 ok.
    expect(screen.getByTestId('cal-ece')).toHaveAttribute('data-status', 'critical');
    expect(screen.getByTestId('cal-ece-value')).toHaveStyle({ background: '#DC2626' });
    expect(screen.getByTestId('cal-brier')).toHaveAttribute('data-status', 'ok');
    expect(screen.getByTestId('cal-brier-value')).toHaveStyle({ background: '#10B981' });
    unmount();

    const { unmount: unmount2 } = renderPanel(CalibrationPanel, {
      data: panelData(frames),
      options: { ...defaultOptions, eceWarning: 0.3, eceCritical: 0.5, brierWarning: 0.1 },
    });
    expect(screen.getByTestId('cal-ece')).toHaveAttribute('data-status', 'warning');
    expect(screen.getByTestId('cal-ece-value')).toHaveStyle({ background: '#ffc107', color: '#1F2937' });
    expect(screen.getByTestId('cal-brier')).toHaveAttribute('data-status', 'warning');
    // The status is spelled out for screen readers, not only coloured.
    expect(screen.getByTestId('cal-ece')).toHaveAttribute('aria-label', expect.stringContaining('ECE 0.330, warning'));
    unmount2();

    renderPanel(CalibrationPanel, {
      data: panelData(frames),
      options: { ...defaultOptions, eceWarning: 0.4, eceCritical: 0.6 },
    });
    expect(screen.getByTestId('cal-ece')).toHaveAttribute('data-status', 'ok');
    expect(screen.getByTestId('cal-ece-value')).toHaveStyle({ background: '#10B981', color: '#1F2937' });
  });

  it('shows the empty state naming the missing field', () => {
    const frame = toDataFrame({ fields: [{ name: 'score', values: [0.2, 0.4] }] });
    renderPanel(CalibrationPanel, { data: panelData([frame]), options: defaultOptions });
    const empty = screen.getByTestId('humain-empty');
    expect(empty).toHaveTextContent('No data for this range');
    expect(empty).toHaveTextContent('Missing field "confidence"');
    expect(screen.queryByTestId('reliability-diagram')).not.toBeInTheDocument();
  });

  it('names the missing correct field when only confidence is there', () => {
    const frame = toDataFrame({ fields: [{ name: 'confidence', values: [0.2, 0.4] }] });
    renderPanel(CalibrationPanel, {
      data: panelData([frame]),
      options: { ...defaultOptions, correctField: 'is_right' },
    });
    expect(screen.getByTestId('humain-empty')).toHaveTextContent('Missing field "is_right"');
  });

  it('shows the empty state when there are no frames at all', () => {
    renderPanel(CalibrationPanel, { data: panelData([]), options: defaultOptions });
    expect(screen.getByTestId('humain-empty')).toHaveTextContent('No data for this range');
  });

  it('draws with the theme: the diagonal follows the text colour in light and dark mode', () => {
    const { unmount } = renderPanel(CalibrationPanel, { data: panelData(serviceFrames()), options: defaultOptions });
    const light = screen.getByTestId('cal-diagonal').getAttribute('stroke');
    unmount();
    renderPanel(CalibrationPanel, { data: panelData(serviceFrames()), options: defaultOptions, theme: 'dark' });
    const dark = screen.getByTestId('cal-diagonal').getAttribute('stroke');
    expect(light).toBe(lightTheme.colors.text.primary);
    expect(dark).toBe(darkTheme.colors.text.primary);
    expect(light).not.toBe(dark);
    // Teal accent and status colours stay the same in both modes.
    expect(screen.getByTestId('cal-ece-value')).toHaveStyle({ background: '#DC2626' });
  });

  it('fits a 4x3 grid cell (~200x90): compact read-outs and a mini diagram, no histogram', () => {
    renderPanel(CalibrationPanel, {
      data: panelData(serviceFrames()),
      options: defaultOptions,
      width: 200,
      height: 90,
    });
    const panel = screen.getByTestId('calibration-panel');
    expect(panel).toHaveAttribute('data-layout', 'compact');
    expect(screen.getByTestId('cal-ece-value')).toHaveTextContent('0.330');
    const svg = screen.getByTestId('reliability-diagram');
    expect(Number(svg.getAttribute('width'))).toBeLessThanOrEqual(200 - 110);
    expect(Number(svg.getAttribute('height'))).toBeLessThanOrEqual(90);
    expect(screen.queryByTestId('confidence-histogram')).not.toBeInTheDocument();
  });
});
