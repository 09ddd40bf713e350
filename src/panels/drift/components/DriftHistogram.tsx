import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { type TipState, tipPosition } from '../../shared/ChartTooltip';
import { HUMAIN, referenceColor } from '../../shared/palette';
import { pct } from '../../shared/format';
import type { HistBin } from '../types';

interface Props {
  bins: HistBin[];
  width: number;
  height: number;
  referenceLabel: string;
  currentLabel: string;
  compact?: boolean;
  onHover?: (tip: TipState | null) => void;
}

/** Three significant digits, no exponent for everyday magnitudes (axis ticks of arbitrary features). */
export function tick(v: number): string {
  if (!Number.isFinite(v)) {
    return '';
  }
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e6 || a < 1e-3)) {
    return v.toExponential(1);
  }
  return String(Number(v.toPrecision(3)));
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, Math.max(1, n - 1))}…`;
}

/** Reference and current shares per shared bin (or per category), overlaid (reference neutral, current teal). */
export function DriftHistogram({ bins, width, height, referenceLabel, currentLabel, compact = false, onHover }: Props) {
  const theme = useTheme2();
  const m = compact ? { l: 2, r: 2, t: 2, b: 2 } : { l: 38, r: 8, t: 18, b: 18 };
  const pw = Math.max(1, width - m.l - m.r);
  const ph = Math.max(1, height - m.t - m.b);
  const lo = bins.length ? bins[0].lower : 0;
  const hi = bins.length ? bins[bins.length - 1].upper : 1;
  const span = hi > lo ? hi - lo : 1;
  const x = (v: number) => m.l + ((v - lo) / span) * pw;
  const maxShare = Math.max(1e-9, ...bins.map((b) => Math.max(b.reference, b.current)));
  const y = (s: number) => m.t + ph - (s / maxShare) * ph;
  const refColor = referenceColor(theme);
  const categorical = bins.some((b) => b.label !== undefined);
  const axis = theme.colors.text.secondary;
  const barW = (b: HistBin) => (hi > lo ? Math.max(1, x(b.upper) - x(b.lower) - 1) : pw);
  // Key figures for the text alternative: the bin where the current share moved most from the reference.
  const moved = bins.reduce<HistBin | undefined>(
    (w, b) => (!w || Math.abs(b.current - b.reference) > Math.abs(w.current - w.reference) ? b : w),
    undefined
  );
  const where = (b: HistBin) => b.label ?? `${tick(b.lower)}-${tick(b.upper)}`;
  const pctOf = (v: number) => `${(v * 100).toFixed(1)}%`;
  const label =
    `Distribution of ${referenceLabel} (reference) and ${currentLabel} (current), overlaid, ${bins.length} bins` +
    (moved
      ? `; largest shift at ${where(moved)}: ${referenceLabel} ${pctOf(moved.reference)}, ${currentLabel} ${pctOf(moved.current)}`
      : '');

  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={label}
      data-testid="drift-histogram"
      style={{ display: 'block', overflow: 'hidden' }}
    >
      {bins.map((b, i) => {
        const x0 = hi > lo ? x(b.lower) + 0.5 : m.l;
        const w = barW(b);
        const range = b.label ?? `${tick(b.lower)} – ${tick(b.upper)}`;
        const label = `${range}: ${referenceLabel} ${pct(b.reference)}, ${currentLabel} ${pct(b.current)}`;
        return (
          <g
            key={i}
            data-testid="drift-bin"
            onMouseMove={(e) =>
              onHover?.({
                ...tipPosition(e),
                lines: [
                  `${tick(b.lower)} – ${tick(b.upper)}`,
                  `${referenceLabel} ${pct(b.reference)}`,
                  `${currentLabel} ${pct(b.current)}`,
                ],
              })
            }
            onMouseLeave={() => onHover?.(null)}
          >
            <title>{label}</title>
            {/* invisible full-height hit area so thin bars are easy to hover */}
            <rect x={x0} y={m.t} width={w} height={ph} fill="transparent" />
            <rect
              x={x0}
              y={y(b.reference)}
              width={w}
              height={m.t + ph - y(b.reference)}
              fill={refColor}
              fillOpacity={0.4}
              data-testid="drift-ref-bar"
            />
            <rect
              x={x0}
              y={y(b.current)}
              width={w}
              height={m.t + ph - y(b.current)}
              fill={HUMAIN.teal}
              fillOpacity={0.55}
              stroke={HUMAIN.tealDark}
              strokeWidth={compact ? 0 : 1}
              data-testid="drift-cur-bar"
            />
          </g>
        );
      })}
      <line x1={m.l} x2={m.l + pw} y1={m.t + ph} y2={m.t + ph} stroke={theme.colors.border.medium} />
      {!compact && (
        <g fontSize={10} fill={axis}>
          <text x={m.l - 4} y={m.t + 4} textAnchor="end">
            {pct(maxShare)}
          </text>
          <text x={m.l - 4} y={m.t + ph} textAnchor="end">
            0
          </text>
          {categorical ? (
            bins.map((b, i) =>
              pw / bins.length >= 28 ? (
                <text
                  key={i}
                  x={x((b.lower + b.upper) / 2)}
                  y={height - 4}
                  textAnchor="middle"
                  data-testid="drift-category"
                >
                  {truncate(b.label ?? '', Math.floor(pw / bins.length / 6))}
                </text>
              ) : null
            )
          ) : (
            <>
              <text x={m.l} y={height - 4} textAnchor="start">
                {tick(lo)}
              </text>
              <text x={m.l + pw / 2} y={height - 4} textAnchor="middle">
                {tick((lo + hi) / 2)}
              </text>
              <text x={m.l + pw} y={height - 4} textAnchor="end">
                {tick(hi)}
              </text>
            </>
          )}
          <g transform={`translate(${m.l} 10)`}>
            <rect width={10} height={8} y={-7} fill={refColor} fillOpacity={0.5} />
            <text x={14}>{referenceLabel}</text>
            <rect
              x={20 + referenceLabel.length * 6}
              width={10}
              height={8}
              y={-7}
              fill={HUMAIN.teal}
              fillOpacity={0.7}
            />
            <text x={34 + referenceLabel.length * 6}>{currentLabel}</text>
          </g>
        </g>
      )}
    </svg>
  );
}
