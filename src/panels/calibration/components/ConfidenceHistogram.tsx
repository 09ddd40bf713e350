import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { HUMAIN } from '../../shared/palette';
import { type TipState, tipPosition } from '../../shared/ChartTooltip';
import { fmt } from '../../shared/format';
import type { CalBin } from '../types';

interface Props {
  bins: CalBin[];
  width: number;
  height: number;
  accuracy: number | null;
  onHover?: (tip: TipState | null) => void;
}

/**
 * Share of predictions per confidence bin, drawn as a density so quantile (unequal-width) bins are not
 * visually inflated. Dashed lines mark overall accuracy and mean confidence: their distance is the
 * over/under-confidence at a glance.
 */
export function ConfidenceHistogram({ bins, width, height, accuracy, onHover }: Props) {
  const theme = useTheme2();
  const legend = width >= 180 && height >= 90;
  const m = { l: 34, r: 8, t: legend ? 26 : 14, b: 16 };
  const pw = Math.max(1, width - m.l - m.r);
  const ph = Math.max(1, height - m.t - m.b);
  const x = (v: number) => m.l + v * pw;
  const total = bins.reduce((s, b) => s + b.count, 0);
  const density = bins.map((b) => (b.upper > b.lower ? b.count / total / (b.upper - b.lower) : 0));
  const maxD = Math.max(1e-9, ...density);
  const meanConf = total > 0 ? bins.reduce((s, b) => s + (b.confidence ?? 0) * b.count, 0) / total : null;
  const axis = theme.colors.text.secondary;

  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label="Confidence histogram: share of predictions per confidence bin"
      data-testid="confidence-histogram"
      style={{ display: 'block', overflow: 'hidden' }}
    >
      <text x={m.l} y={10} fontSize={10} fill={axis}>
        Predictions by confidence
      </text>
      <line x1={x(0)} x2={x(1)} y1={m.t + ph} y2={m.t + ph} stroke={theme.colors.border.medium} />
      {bins.map((b, i) => {
        const h = (density[i] / maxD) * ph;
        const x0 = x(b.lower) + 0.5;
        const w = Math.max(1, x(b.upper) - x(b.lower) - 1);
        const share = total > 0 ? b.count / total : 0;
        return (
          <rect
            key={i}
            data-testid="cal-hist-bar"
            x={x0}
            y={m.t + ph - h}
            width={w}
            height={h}
            fill={HUMAIN.teal}
            fillOpacity={theme.isDark ? 0.55 : 0.45}
            onMouseMove={(e) => {
              onHover?.({
                ...tipPosition(e),
                lines: [
                  `Confidence ${fmt(b.lower, 2)}–${fmt(b.upper, 2)}`,
                  `${b.count} predictions (${(share * 100).toFixed(1)}%)`,
                ],
              });
            }}
            onMouseLeave={() => onHover?.(null)}
          >
            <title>{`Confidence ${fmt(b.lower, 2)}–${fmt(b.upper, 2)}: ${b.count} predictions`}</title>
          </rect>
        );
      })}
      {accuracy !== null && (
        <line
          x1={x(accuracy)}
          x2={x(accuracy)}
          y1={m.t}
          y2={m.t + ph}
          stroke={theme.colors.text.primary}
          strokeDasharray="3 3"
          strokeOpacity={0.7}
        >
          <title>{`Overall accuracy ${fmt(accuracy)}`}</title>
        </line>
      )}
      {meanConf !== null && (
        <line x1={x(meanConf)} x2={x(meanConf)} y1={m.t} y2={m.t + ph} stroke={HUMAIN.error} strokeDasharray="3 3">
          <title>{`Mean confidence ${fmt(meanConf)}`}</title>
        </line>
      )}
      <g fontSize={10} fill={axis}>
        <text x={x(0)} y={height - 3} textAnchor="start">
          0
        </text>
        <text x={x(1)} y={height - 3} textAnchor="end">
          1
        </text>
        {legend && (
          <text x={m.l} y={22}>
            ┆ accuracy <tspan fill={HUMAIN.error}>┆ mean confidence</tspan>
          </text>
        )}
      </g>
    </svg>
  );
}
