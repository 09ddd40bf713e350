import React from 'react';
import { useTheme2 } from '@grafana/ui';
import { onStatusColor, type Status, statusBadgeColor } from '../../shared/palette';
import type { Severity } from '../types';

export const SEVERITY_STATUS: Record<Severity, Status> = { none: 'ok', moderate: 'warning', major: 'critical' };
const WORD: Record<Severity, string> = { none: 'No drift', moderate: 'Moderate', major: 'Major' };

export function SeverityBadge({ severity, short = false }: { severity: Severity; short?: boolean }) {
  const theme = useTheme2();
  const status = SEVERITY_STATUS[severity];
  return (
    <span
      data-testid="drift-severity"
      data-severity={severity}
      style={{
        background: statusBadgeColor(status, theme),
        color: onStatusColor(status),
        borderRadius: 12,
        padding: '1px 8px',
        fontSize: 12,
        fontWeight: 600,
        whiteSpace: 'nowrap',
        lineHeight: 1.4,
        display: 'inline-block',
      }}
    >
      {short ? severity : WORD[severity]}
    </span>
  );
}
