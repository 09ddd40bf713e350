import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

export interface TipState {
  x: number;
  y: number;
  lines: string[];
}

interface Props {
  tip: TipState | null;
  /** Bounds of the positioned container, so the tip never overflows the panel. */
  width: number;
  height: number;
}

const TIP_W = 180;

/**
 * Hover read-out for SVG marks. Grafana's <Tooltip> needs a ref-able HTML child, so the charts use this
 * light positioned box instead (each mark also carries an SVG <title> for screen readers).
 */
export function ChartTooltip({ tip, width, height }: Props) {
  const styles = useStyles2(getStyles);
  if (!tip) {
    return null;
  }
  const left = Math.max(0, Math.min(tip.x + 12, width - TIP_W));
  const lineH = 16;
  const boxH = tip.lines.length * lineH + 12;
  const top = Math.max(0, Math.min(tip.y + 12, height - boxH));
  return (
    <div
      className={styles.tip}
      style={{ left, top, maxWidth: TIP_W }}
      role="tooltip"
      data-testid="humain-chart-tooltip"
    >
      {tip.lines.map((l, i) => (
        <div key={i} className={i === 0 ? styles.head : undefined}>
          {l}
        </div>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  tip: css({
    position: 'absolute',
    pointerEvents: 'none',
    zIndex: 2,
    padding: theme.spacing(0.75, 1),
    background: theme.components.tooltip.background,
    color: theme.components.tooltip.text,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z2,
    fontSize: 12,
    lineHeight: '16px',
    whiteSpace: 'nowrap',
  }),
  head: css({ fontWeight: 600 }),
});

/** Pointer position relative to the panel root (the element marked `data-tip-root`), where the tip is drawn. */
export function tipPosition(e: React.MouseEvent<Element>): { x: number; y: number } {
  const root = (e.currentTarget as Element).closest('[data-tip-root]') ?? (e.currentTarget as Element);
  const r = root.getBoundingClientRect();
  return { x: e.clientX - r.left, y: e.clientY - r.top };
}
