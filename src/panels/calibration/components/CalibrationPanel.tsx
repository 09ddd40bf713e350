import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { ChartTooltip, type TipState } from '../../shared/ChartTooltip';
import { EmptyState } from '../../shared/EmptyState';
import { extractCalibration } from '../calibrationData';
import { type CalibrationOptions, defaultOptions } from '../types';
import { BinTable } from './BinTable';
import { ConfidenceHistogram } from './ConfidenceHistogram';
import { ReliabilityDiagram } from './ReliabilityDiagram';
import { Readouts } from './Readouts';

const READOUT_H = 40;

export function CalibrationPanel({ data, options, width, height }: PanelProps<CalibrationOptions>) {
  const styles = useStyles2(getStyles);
  const [tip, setTip] = useState<TipState | null>(null);
  const o = { ...defaultOptions, ...options };
  const result = useMemo(
    () => extractCalibration(data.series, o),
    // o is rebuilt each render; its inputs are what matter.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data.series, o.bins, o.binning, o.confidenceField, o.correctField]
  );

  if (!result.ok) {
    return <EmptyState missing={result.missing} width={width} height={height} />;
  }
  const { view } = result;
  const compact = height < 150 || width < 280;

  if (compact) {
    const side = Math.min(height - 4, width - 124);
    return (
      <div
        className={styles.compact}
        style={{ width, height }}
        data-testid="calibration-panel"
        data-tip-root
        data-layout="compact"
      >
        <Readouts view={view} options={o} layout="stack" showExtras={height >= 110} />
        {side >= 40 && (
          <div className={styles.chartBox}>
            <ReliabilityDiagram bins={view.bins} width={side} height={side} compact onHover={setTip} />
          </div>
        )}
        <ChartTooltip tip={tip} width={width} height={height} />
      </div>
    );
  }

  const chartH = height - READOUT_H - 4;
  const wide = width > 1.8 * chartH;
  const showHist = o.showHistogram && (wide ? width >= 420 : chartH >= 150);
  let diagram: { w: number; h: number };
  let hist: { w: number; h: number } | null = null;
  let tableW = 0;
  if (wide) {
    // Charts keep a sensible aspect; on very wide panels the bins table takes the rest.
    diagram = { w: showHist ? Math.min(width * 0.6, chartH * 1.6) : Math.min(width, chartH * 1.6), h: chartH };
    const rest = width - diagram.w - 8;
    hist = showHist ? { w: Math.min(rest, chartH * 1.8), h: chartH } : null;
    const left = rest - (hist ? hist.w + 16 : 0);
    tableW = left >= 300 ? Math.min(left, 520) : 0;
  } else {
    diagram = { w: width, h: showHist ? Math.round(chartH * 0.72) : chartH };
    hist = showHist ? { w: width, h: chartH - diagram.h } : null;
  }

  return (
    <div
      className={styles.full}
      style={{ width, height }}
      data-testid="calibration-panel"
      data-tip-root
      data-layout={wide ? 'wide' : 'stacked'}
    >
      <div style={{ height: READOUT_H }} className={styles.readouts}>
        <Readouts view={view} options={o} layout="row" showExtras={width >= 480} />
      </div>
      <div className={wide ? styles.side : styles.stacked}>
        <ReliabilityDiagram bins={view.bins} width={diagram.w} height={diagram.h} onHover={setTip} />
        {hist && (
          <ConfidenceHistogram
            bins={view.bins}
            width={hist.w}
            height={hist.h}
            accuracy={view.accuracy}
            onHover={setTip}
          />
        )}
        {tableW > 0 && (
          <div style={{ width: tableW, marginLeft: 8 }}>
            <BinTable bins={view.bins} height={chartH} />
          </div>
        )}
      </div>
      <ChartTooltip tip={tip} width={width} height={height} />
    </div>
  );
}

const getStyles = () => ({
  full: css({ position: 'relative', overflow: 'hidden', display: 'flex', flexDirection: 'column', gap: 4 }),
  readouts: css({ display: 'flex', alignItems: 'center', overflow: 'hidden' }),
  side: css({ display: 'flex', flexDirection: 'row', gap: 8 }),
  stacked: css({ display: 'flex', flexDirection: 'column' }),
  compact: css({
    position: 'relative',
    overflow: 'hidden',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    gap: 4,
  }),
  chartBox: css({ flex: '0 0 auto' }),
});
