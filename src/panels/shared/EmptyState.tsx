import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

interface Props {
  /** What the panel looked for and did not find, e.g. "field `confidence`". */
  missing: string;
  width: number;
  height: number;
}

/** The one empty state all HUMAIN panels share: say there is no data, and what exactly is missing. */
export function EmptyState({ missing, width, height }: Props) {
  const styles = useStyles2(getStyles);
  const tiny = height < 120 || width < 260;
  return (
    <div className={styles.wrap} style={{ width, height }} role="status" data-testid="humain-empty">
      <div className={tiny ? styles.titleTiny : styles.title}>No data for this range</div>
      <div className={tiny ? styles.detailTiny : styles.detail} title={`Missing ${missing}`}>
        Missing {missing}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    textAlign: 'center',
    overflow: 'hidden',
    padding: theme.spacing(0.5),
    boxSizing: 'border-box',
  }),
  title: css({ fontSize: theme.typography.h5.fontSize, color: theme.colors.text.primary, fontWeight: 500 }),
  titleTiny: css({ fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.primary, fontWeight: 500 }),
  detail: css({
    marginTop: theme.spacing(0.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    maxWidth: '100%',
  }),
  detailTiny: css({
    fontSize: 11,
    lineHeight: 1.2,
    color: theme.colors.text.secondary,
    maxWidth: '100%',
    overflow: 'hidden',
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
  }),
});
