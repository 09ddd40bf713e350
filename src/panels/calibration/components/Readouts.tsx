import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { thresholdStatus } from '../../shared/palette';
import { StatusPill } from '../../shared/StatusPill';
import { fmt, fmtCount } from '../../shared/format';
import type { CalibrationOptions, CalView } from '../types';

interface Props {
  view: CalView;
  options: CalibrationOptions;
  /** `stack`: one statistic per line (tiny panels); `row`: all on one line. */
  layout: 'stack' | 'row';
  showExtras: boolean;
}

export function Readouts({ view, options: o, layout, showExtras }: Props) {
  const styles = useStyles2(getStyles);
  const ece = thresholdStatus(view.ece, o.eceWarning, o.eceCritical);
  const mce = thresholdStatus(view.mce, o.mceWarning, o.mceCritical);
  const brier = thresholdStatus(view.brier, o.brierWarning, o.brierCritical);
  return (
    <div className={layout === 'row' ? styles.row : styles.stack} data-testid="cal-readouts">
      <StatusPill
        testId="cal-ece"
        label="ECE"
        value={fmt(view.ece)}
        status={ece}
        size={layout === 'stack' ? 'md' : 'lg'}
        hint={`Expected calibration error: count-weighted mean |accuracy − confidence| over bins. Warning ≥ ${o.eceWarning}, critical ≥ ${o.eceCritical}.`}
      />
      <StatusPill
        testId="cal-mce"
        label="MCE"
        value={fmt(view.mce)}
        status={mce}
        size={layout === 'stack' ? 'sm' : 'md'}
        hint={`Maximum calibration error: the largest bin gap. Warning ≥ ${o.mceWarning}, critical ≥ ${o.mceCritical}.`}
      />
      <StatusPill
        testId="cal-brier"
        label="Brier"
        value={fmt(view.brier)}
        status={brier}
        size={layout === 'stack' ? 'sm' : 'md'}
        hint={
          view.brier === null
            ? 'Brier score needs per-prediction data or the summary frame.'
            : `Brier score: mean (confidence − correct)². Warning ≥ ${o.brierWarning}, critical ≥ ${o.brierCritical}.`
        }
      />
      {showExtras && (
        <span className={styles.extra} data-testid="cal-extras">
          acc {fmt(view.accuracy)} · n {fmtCount(view.count)}
        </span>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1.5),
    flexWrap: 'nowrap',
    overflow: 'hidden',
    minHeight: 32,
  }),
  stack: css({ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', gap: 4, overflow: 'hidden' }),
  extra: css({ fontSize: 12, color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
});
