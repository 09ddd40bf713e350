import React from 'react';
import { css, cx } from '@emotion/css';
import { dateTimeFormatTimeAgo, type GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2, useTheme2 } from '@grafana/ui';
import { HUMAIN, onStatusColor, type Status, statusBadgeColor, statusColor, tealText } from '../../shared/palette';
import { PHASE_NAMES, PHASE_SHORT, PHASES, type PhaseView } from '../types';

export const STATE_WORD: Record<Status, string> = {
  ok: 'OK',
  warning: 'Warning',
  critical: 'Critical',
  unknown: 'Unknown',
};
const STATE_GLYPH: Record<Status, string> = { ok: '✓', warning: '!', critical: '✕', unknown: '?' };

export type CardSize = 'tiny' | 'small' | 'full';

interface Props {
  view: PhaseView;
  size: CardSize;
  /** Lines of reason text a full card has room for. */
  reasonLines?: number;
}

function tooltipText(v: PhaseView): string {
  const when = v.updated ? ` · updated ${dateTimeFormatTimeAgo(v.updated)}` : '';
  return `${STATE_WORD[v.state]}: ${v.reason || 'no reason given'}${when}`;
}

/**
 * One phase: the whole card is a single link (one tab stop) to the phase dashboard; the reason shows on hover
 * and focus and, where there is room, as text. The state is always written out, never colour alone.
 */
export function PhaseCard({ view: v, size, reasonLines = 2 }: Props) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const color = statusColor(v.state, theme);
  const n = PHASES.indexOf(v.phase) + 1;
  return (
    <Tooltip content={tooltipText(v)} placement="bottom">
      <a
        href={v.href}
        className={cx(styles.card, size === 'tiny' && styles.tiny)}
        style={{ borderLeftColor: color }}
        data-testid="pipeline-phase"
        data-phase={v.phase}
        data-state={v.state}
      >
        <div className={styles.head}>
          <span className={styles.name}>
            {size === 'full' && <span className={styles.num}>{n}</span>}
            {size === 'tiny' ? (
              <>
                {PHASE_SHORT[v.phase]}
                <span className={styles.srOnly}> ({PHASE_NAMES[v.phase]})</span>
              </>
            ) : (
              PHASE_NAMES[v.phase]
            )}
          </span>
          <span
            className={styles.pill}
            style={{ background: statusBadgeColor(v.state, theme), color: onStatusColor(v.state) }}
            data-testid="pipeline-state"
          >
            <span aria-hidden>{STATE_GLYPH[v.state]}</span>
            {/* The link's name is its text (WCAG 2.5.3): the state and, where not shown, the full phase name and
                reason are there for screen readers too. */}
            <span className={size === 'tiny' ? styles.srOnly : undefined}> {STATE_WORD[v.state]}</span>
          </span>
        </div>
        {v.headline && !(size === 'tiny' && v.headline.text === '—') && (
          <div className={styles.headline} data-testid="pipeline-headline">
            {size !== 'tiny' && <span className={styles.hlLabel}>{v.headline.label}</span>}
            <span className={size === 'tiny' ? styles.hlValueTiny : styles.hlValue}>{v.headline.text}</span>
          </div>
        )}
        {size !== 'tiny' && (
          <div
            className={size === 'full' ? styles.reason : styles.reasonOneLine}
            style={size === 'full' ? { WebkitLineClamp: reasonLines } : undefined}
            data-testid="pipeline-reason"
          >
            {v.reason}
          </div>
        )}
        {size === 'tiny' && <span className={styles.srOnly}>. {v.reason}</span>}
        {size === 'full' ? (
          <div className={styles.open}>Open dashboard →</div>
        ) : (
          <span className={styles.srOnly}>. Open the {PHASE_NAMES[v.phase]} dashboard</span>
        )}
      </a>
    </Tooltip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  srOnly: css({
    position: 'absolute',
    width: 1,
    height: 1,
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    whiteSpace: 'nowrap',
  }),
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: 4,
    minWidth: 0,
    height: '100%',
    boxSizing: 'border-box',
    padding: theme.spacing(1, 1.25),
    borderRadius: 12,
    border: `1px solid ${theme.colors.border.weak}`,
    borderLeftWidth: 4,
    background: theme.colors.background.secondary,
    color: theme.colors.text.primary,
    textDecoration: 'none',
    overflow: 'hidden',
    outline: 'none',
    transition: 'border-color 0.15s, box-shadow 0.15s',
    '&:hover': { borderColor: HUMAIN.teal, textDecoration: 'none' },
    '&:focus-visible': { boxShadow: `0 0 0 2px ${HUMAIN.teal}` },
  }),
  tiny: css({ padding: '2px 6px', gap: 0, borderRadius: 8, justifyContent: 'center' }),
  head: css({ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 4, minWidth: 0 }),
  name: css({
    fontWeight: 600,
    fontSize: 13,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    minWidth: 0,
  }),
  num: css({
    display: 'inline-block',
    width: 18,
    height: 18,
    lineHeight: '18px',
    textAlign: 'center',
    borderRadius: '50%',
    background: HUMAIN.teal,
    color: '#fff',
    fontSize: 11,
    marginRight: 6,
  }),
  pill: css({
    flex: '0 0 auto',
    borderRadius: 12,
    padding: '0 7px',
    fontSize: 11,
    fontWeight: 600,
    lineHeight: '18px',
    whiteSpace: 'nowrap',
  }),
  headline: css({ display: 'flex', alignItems: 'baseline', gap: 6, minWidth: 0, overflow: 'hidden' }),
  hlLabel: css({
    fontSize: 11,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  hlValue: css({ fontSize: 18, fontWeight: 600, fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }),
  hlValueTiny: css({
    fontSize: 12,
    fontVariantNumeric: 'tabular-nums',
    whiteSpace: 'nowrap',
    color: theme.colors.text.secondary,
  }),
  reason: css({
    fontSize: 12,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    lineHeight: 1.35,
  }),
  reasonOneLine: css({
    fontSize: 12,
    color: theme.colors.text.secondary,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  }),
  open: css({
    marginTop: 'auto',
    fontSize: 11,
    color: tealText(theme),
    whiteSpace: 'nowrap',
  }),
});
