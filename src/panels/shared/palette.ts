import type { GrafanaTheme2 } from '@grafana/data';

/** HUMAIN OS palette (docs/design.md, "Look: HUMAIN OS"). Status colours are fixed across themes. */
export const HUMAIN = {
  teal: '#1DB584',
  tealHover: '#17a573',
  tealDark: '#148f64',
  tealLightest: '#f0fdf9',
  tealDarkest: '#0a4f39',
  success: '#10B981',
  warning: '#ffc107',
  error: '#EF4444',
  muted: '#6B7280',
} as const;

export type Status = 'ok' | 'warning' | 'critical' | 'unknown';

export function statusColor(status: Status, theme: GrafanaTheme2): string {
  switch (status) {
    case 'ok':
      return HUMAIN.success;
    case 'warning':
      return HUMAIN.warning;
    case 'critical':
      return HUMAIN.error;
    default:
      return theme.isDark ? '#9CA3AF' : HUMAIN.muted;
  }
}

/** Text drawn on a status fill: amber needs dark text to stay readable (WCAG contrast), the others take white. */
export function onStatusColor(status: Status): string {
  return status === 'warning' ? '#1F2937' : '#FFFFFF';
}

/** Classify a value against ascending warning/critical thresholds (value >= threshold trips it). */
export function thresholdStatus(value: number | null | undefined, warning: number, critical: number): Status {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return 'unknown';
  }
  if (value >= critical) {
    return 'critical';
  }
  return value >= warning ? 'warning' : 'ok';
}

/** Series colours: teal for "current"/primary, a neutral for "reference" readable on both backgrounds. */
export function referenceColor(theme: GrafanaTheme2): string {
  return theme.isDark ? '#9CA3AF' : '#6B7280';
}
