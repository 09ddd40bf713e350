import React from 'react';
import { css, cx } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { fmt } from '../../shared/format';
import { HUMAIN } from '../../shared/palette';
import type { FeatureStats } from '../types';
import { SeverityBadge } from './SeverityBadge';
import { testCell } from '../formatStats';

interface Props {
  features: FeatureStats[];
  width: number;
  selected?: string;
  /** With it, the rows of `selectable` features (those with a histogram to show) are picked by click, Enter or Space. */
  onSelect?: (feature: string) => void;
  selectable?: (feature: string) => boolean;
}

/** One row per feature, most severe first; columns drop out right to left as the panel narrows. */
export function FeatureTable({ features, width, selected, onSelect, selectable = () => true }: Props) {
  const styles = useStyles2(getStyles);
  const cols = width >= 520 ? 4 : width >= 400 ? 2 : width >= 300 ? 1 : 0;
  return (
    <table className={styles.table} data-testid="drift-features">
      <thead>
        <tr>
          <th>Feature</th>
          <th>Severity</th>
          {cols >= 1 && (
            <th className={styles.num} data-num>
              PSI
            </th>
          )}
          {cols >= 2 && (
            <th className={styles.num} data-num>
              KS / χ²
            </th>
          )}
          {cols >= 3 && (
            <th className={styles.num} data-num>
              Wasserstein
            </th>
          )}
          {cols >= 4 && (
            <th className={styles.num} data-num>
              JS
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {features.map((f) => {
          const isSel = f.feature === selected;
          const select = onSelect && selectable(f.feature) ? () => onSelect(f.feature) : undefined;
          return (
            <tr
              key={f.feature}
              data-testid="drift-feature-row"
              data-feature={f.feature}
              className={cx(select && styles.clickable, isSel && styles.selected)}
              tabIndex={select ? 0 : undefined}
              aria-selected={select ? isSel : undefined}
              onClick={select}
              onKeyDown={
                select
                  ? (e) => {
                      if (e.key === 'Enter' || e.key === ' ') {
                        e.preventDefault();
                        select();
                      }
                    }
                  : undefined
              }
            >
              <td className={styles.name} title={f.feature}>
                {f.feature}
              </td>
              <td>
                <SeverityBadge severity={f.severity} short={width < 360} />
              </td>
              {cols >= 1 && (
                <td className={styles.num} data-num>
                  {fmt(f.psi)}
                </td>
              )}
              {cols >= 2 && (
                <td className={styles.num} data-num>
                  {testCell(f)}
                </td>
              )}
              {cols >= 3 && (
                <td className={styles.num} data-num>
                  {fmt(f.wasserstein)}
                </td>
              )}
              {cols >= 4 && (
                <td className={styles.num} data-num>
                  {fmt(f.js_divergence)}
                </td>
              )}
            </tr>
          );
        })}
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
    tableLayout: 'auto',
    th: {
      textAlign: 'left',
      fontWeight: 500,
      color: theme.colors.text.secondary,
      padding: '2px 6px',
      borderBottom: `1px solid ${theme.colors.border.medium}`,
      whiteSpace: 'nowrap',
    },
    td: { padding: '3px 6px', borderBottom: `1px solid ${theme.colors.border.weak}` },
    // numeric columns (header and cells) align right; stated here so it outranks the `th` rule above
    '& th[data-num], & td[data-num]': { textAlign: 'right' },
  }),
  num: css({ textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  name: css({ maxWidth: 160, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  clickable: css({
    cursor: 'pointer',
    outline: 'none',
    '&:hover': { background: theme.colors.action.hover },
    '&:focus-visible': { boxShadow: `inset 0 0 0 2px ${theme.colors.primary.main}` },
  }),
  selected: css({ background: theme.colors.action.selected, boxShadow: `inset 3px 0 0 ${HUMAIN.teal}` }),
});
