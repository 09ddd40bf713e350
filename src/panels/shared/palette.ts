import type { GrafanaTheme2 } from '@grafana/data';

/** HUMAIN OS palette (docs/design.md, "Look: HUMAIN OS"). Status colours are fixed across themes. */
export const HUMAIN = {
  teal: '#1DB584',
  tealHover: '#17a573',
  tealDark: '#148f64',
  tealLightest: '#f0fdf9',
  tealDarkest: '#0a4f39',
  /** Teal for text and thin lines on light backgrounds: 5.3:1 on white (#1DB584 is 2.6:1, below WCAG AA). */
  tealText: '#0F7A56',
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

/** Teal text or a thin teal line: the brand teal reads on dark backgrounds, its darker shade on light ones. */
export function tealText(theme: GrafanaTheme2): string {
  return theme.isDark ? HUMAIN.teal : HUMAIN.tealText;
}

/**
 * The fill of a status badge that carries text: the status colour, but a deeper red for critical so that its
 * white text reaches WCAG AA (white on #EF4444 is 3.8:1, on #DC2626 4.8:1).
 */
export function statusBadgeColor(status: Status, theme: GrafanaTheme2): string {
  return status === 'critical' ? '#DC2626' : statusColor(status, theme);
}

/** Text on a status badge (statusBadgeColor), at least 4.5:1: dark on green (5.8:1) and amber, white on red and grey. */
export function onStatusColor(status: Status): string {
  return status === 'ok' || status === 'warning' ? '#1F2937' : '#FFFFFF';
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
