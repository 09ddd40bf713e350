import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { fmt } from '../../shared/format';
import type { CalBin } from '../types';

/** The reliability bins as numbers (shown when a wide panel has room beside the charts). */
export function BinTable({ bins, height }: { bins: CalBin[]; height: number }) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.wrap} style={{ maxHeight: height }}>
      <table className={styles.table} data-testid="cal-bin-table">
        <thead>
          <tr>
            <th>Confidence bin</th>
            <th>n</th>
            <th>Mean conf.</th>
            <th>Accuracy</th>
            <th>Gap</th>
          </tr>
        </thead>
        <tbody>
          {bins.map((b, i) => (
            <tr key={i}>
              <td>
                {fmt(b.lower, 2)}–{fmt(b.upper, 2)}
              </td>
              <td>{b.count}</td>
              <td>{fmt(b.confidence)}</td>
              <td>{fmt(b.accuracy)}</td>
              <td>{b.accuracy !== null && b.confidence !== null ? fmt(b.accuracy - b.confidence) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ overflowY: 'auto', overflowX: 'hidden' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    fontSize: 12,
    color: theme.colors.text.primary,
    fontVariantNumeric: 'tabular-nums',
    th: {
      fontWeight: 500,
      color: theme.colors.text.secondary,
      textAlign: 'right',
      padding: '2px 6px',
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      whiteSpace: 'nowrap',
    },
    td: {
      textAlign: 'right',
      padding: '1px 6px',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      whiteSpace: 'nowrap',
    },
    'th:first-child, td:first-child': { textAlign: 'left' },
  }),
});
