import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2, useTheme2 } from '@grafana/ui';
import { onStatusColor, type Status, statusBadgeColor } from './palette';

interface Props {
  label: string;
  value: string;
  status: Status;
  /** Explains the colour: the thresholds, what the statistic means. Shown on hover and focus. */
  hint: string;
  size?: 'sm' | 'md' | 'lg';
  testId?: string;
}

const STATUS_WORD: Record<Status, string> = { ok: 'ok', warning: 'warning', critical: 'critical', unknown: 'no value' };

/** A labelled statistic whose value sits on its status colour; the status is also spelled out for screen readers. */
export function StatusPill({ label, value, status, hint, size = 'md', testId }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const bg = statusBadgeColor(status, theme);
  const fontSize = size === 'lg' ? 20 : size === 'md' ? 14 : 12;
  return (
    <Tooltip content={hint} placement="bottom">
      <div
        className={styles.wrap}
        tabIndex={0}
        data-testid={testId}
        data-status={status}
        aria-label={`${label} ${value}, ${STATUS_WORD[status]}. ${hint}`}
      >
        <span className={styles.label}>{label}</span>
        <span
          className={styles.value}
          data-testid={testId ? `${testId}-value` : undefined}
          style={{ background: bg, color: onStatusColor(status), fontSize }}
        >
          {value}
        </span>
      </div>
    </Tooltip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    minWidth: 0,
    borderRadius: 12,
    outline: 'none',
    '&:focus-visible': { boxShadow: `0 0 0 2px ${theme.colors.primary.main}` },
  }),
  label: css({ fontSize: 12, color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
  value: css({
    fontWeight: 600,
    fontVariantNumeric: 'tabular-nums',
    padding: '1px 8px',
    borderRadius: 12,
    whiteSpace: 'nowrap',
    lineHeight: 1.35,
  }),
});
