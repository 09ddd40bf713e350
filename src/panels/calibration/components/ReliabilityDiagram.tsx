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
  /** Sparkline form for tiny panels: no axes, no labels. */
  compact?: boolean;
  onHover?: (tip: TipState | null) => void;
}

/**
 * Reliability diagram (DeGroot & Fienberg 1983; as drawn in Guo et al. 2017): per bin, a bar at the observed
 * accuracy, the gap to the bin's mean confidence shaded, against the diagonal of perfect calibration.
 */
export function ReliabilityDiagram({ bins, width, height, compact = false, onHover }: Props) {
  const theme = useTheme2();
  const m = compact ? { l: 2, r: 2, t: 2, b: 2 } : { l: 34, r: 8, t: 16, b: 30 };
  const pw = Math.max(1, width - m.l - m.r);
  const ph = Math.max(1, height - m.t - m.b);
  const x = (v: number) => m.l + v * pw;
  const y = (v: number) => m.t + (1 - v) * ph;
  const axis = theme.colors.text.secondary;
  const grid = theme.colors.border.weak;
  const showCounts = !compact && pw / Math.max(1, bins.length) >= 16;
  // The text alternative carries the key figures: the bin with the largest gap between accuracy and confidence.
  const gaps = bins.filter((b) => b.count > 0 && b.accuracy !== null && b.confidence !== null);
  const worst = gaps.reduce<CalBin | undefined>(
    (w, b) => (!w || Math.abs(b.accuracy! - b.confidence!) > Math.abs(w.accuracy! - w.confidence!) ? b : w),
    undefined
  );
  const label =
    `Reliability diagram: accuracy per confidence bin against the diagonal, ${gaps.length} non-empty bins` +
    (worst
      ? `; largest gap in ${fmt(worst.lower, 2)}-${fmt(worst.upper, 2)}: accuracy ${fmt(worst.accuracy!, 2)} at confidence ${fmt(worst.confidence!, 2)}`
      : '');

  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={label}
      data-testid="reliability-diagram"
      style={{ display: 'block', overflow: 'hidden' }}
    >
      <rect x={m.l} y={m.t} width={pw} height={ph} fill="none" stroke={grid} />
      {!compact &&
        [0.25, 0.5, 0.75].map((t) => (
          <g key={t}>
            <line x1={x(0)} x2={x(1)} y1={y(t)} y2={y(t)} stroke={grid} strokeDasharray="2 3" />
            <line x1={x(t)} x2={x(t)} y1={y(0)} y2={y(1)} stroke={grid} strokeDasharray="2 3" />
          </g>
        ))}
      {bins.map((b, i) => {
        if (b.count <= 0 || b.accuracy === null) {
          return null;
        }
        const x0 = x(b.lower) + 0.5;
        const w = Math.max(1, x(b.upper) - x(b.lower) - 1);
        const acc = b.accuracy;
        const conf = b.confidence ?? (b.lower + b.upper) / 2;
        const gap = Math.abs(acc - conf);
        const gapTop = y(Math.max(conf, b.accuracy));
        const gapH = Math.abs(y(conf) - y(b.accuracy));
        const label = `Bin ${fmt(b.lower, 2)}–${fmt(b.upper, 2)}: accuracy ${fmt(b.accuracy)}, mean confidence ${fmt(
          b.confidence
        )}, gap ${fmt(gap)}, n = ${b.count}`;
        return (
          <g
            key={i}
            data-testid="cal-bin"
            data-count={b.count}
            onMouseMove={(e) => {
              onHover?.({
                ...tipPosition(e),
                lines: [
                  `Confidence ${fmt(b.lower, 2)}–${fmt(b.upper, 2)}`,
                  `Accuracy ${fmt(b.accuracy)}`,
                  `Mean confidence ${fmt(b.confidence)}`,
                  `Gap ${fmt(gap)}`,
                  `Predictions ${b.count}`,
                ],
              });
            }}
            onMouseLeave={() => onHover?.(null)}
          >
            <title>{label}</title>
            <rect
              x={x0}
              y={y(b.accuracy)}
              width={w}
              height={Math.max(0, y(0) - y(b.accuracy))}
              fill={HUMAIN.teal}
              fillOpacity={0.85}
            />
            {gapH > 0.5 && (
              <rect
                data-testid="cal-gap"
                x={x0}
                y={gapTop}
                width={w}
                height={gapH}
                fill={HUMAIN.error}
                fillOpacity={0.22}
                stroke={HUMAIN.error}
                strokeOpacity={0.8}
                strokeWidth={1}
              />
            )}
            {showCounts && (
              <text
                data-testid="cal-bin-count"
                x={x0 + w / 2}
                y={m.t - 4}
                textAnchor="middle"
                fontSize={10}
                fill={axis}
              >
                {b.count}
              </text>
            )}
          </g>
        );
      })}
      <line
        x1={x(0)}
        y1={y(0)}
        x2={x(1)}
        y2={y(1)}
        stroke={theme.colors.text.primary}
        strokeOpacity={0.6}
        strokeDasharray="4 3"
        data-testid="cal-diagonal"
      />
      {!compact && (
        <g fontSize={10} fill={axis}>
          {[0, 0.5, 1].map((t) => (
            <text key={`y${t}`} x={m.l - 4} y={y(t) + 3} textAnchor="end">
              {t}
            </text>
          ))}
          {[0, 0.5, 1].map((t) => (
            <text key={`x${t}`} x={x(t)} y={y(0) + 12} textAnchor={t === 0 ? 'start' : t === 1 ? 'end' : 'middle'}>
              {t}
            </text>
          ))}
          <text x={m.l + pw / 2} y={height - 4} textAnchor="middle">
            Confidence
          </text>
          <text transform={`translate(10 ${m.t + ph / 2}) rotate(-90)`} textAnchor="middle">
            Accuracy
          </text>
        </g>
      )}
    </svg>
  );
}
