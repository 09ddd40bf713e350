import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2 } from '@grafana/ui';
import { fmt, fmtCount } from '../../shared/format';
import type { FeatureStats } from '../types';
import { testCell } from '../formatStats';

/** Statistic rows with what each one measures (shown on hover/focus). */
const ROWS: Array<{ label: string; hint: string; value: (s: FeatureStats) => string }> = [
  {
    label: 'PSI',
    hint: 'Population stability index over the reference deciles. < 0.1 none, 0.1–0.25 moderate, > 0.25 major.',
    value: (s) => fmt(s.psi),
  },
  {
    label: 'KS',
    hint: 'Two-sample Kolmogorov–Smirnov statistic (largest ECDF gap) and its p-value; for categorical features the chi-square test p-value.',
    value: testCell,
  },
  {
    label: 'Wasserstein',
    hint: 'First Wasserstein (earth mover’s) distance, in the feature’s own units.',
    value: (s) => fmt(s.wasserstein),
  },
  {
    label: 'JS',
    hint: 'Jensen–Shannon divergence in bits (0 identical, 1 disjoint).',
    value: (s) => fmt(s.js_divergence),
  },
  {
    label: 'n',
    hint: 'Samples in the reference / current populations.',
    value: (s) => `${fmtCount(s.reference_count)} / ${fmtCount(s.current_count)}`,
  },
];

export function StatsTable({ stats, rows = ROWS.length }: { stats: FeatureStats; rows?: number }) {
  const styles = useStyles2(getStyles);
  return (
    <table className={styles.table} data-testid="drift-stats">
      <tbody>
        {ROWS.slice(0, rows).map((r) => (
          <tr key={r.label}>
            <th scope="row">
              <Tooltip content={r.hint} placement="left">
                <span tabIndex={0} className={styles.term}>
                  {r.label}
                </span>
              </Tooltip>
            </th>
            <td data-testid={`drift-stat-${r.label.toLowerCase()}`}>{r.value(stats)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: 12,
    color: theme.colors.text.primary,
    th: { textAlign: 'left', fontWeight: 400, color: theme.colors.text.secondary, padding: '2px 8px 2px 0' },
    td: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', padding: '2px 0', whiteSpace: 'nowrap' },
    tr: { borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  term: css({ borderBottom: `1px dotted ${theme.colors.text.secondary}`, cursor: 'help', outline: 'none' }),
});
