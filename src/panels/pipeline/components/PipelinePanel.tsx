import React, { Fragment, useMemo } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { EmptyState } from '../../shared/EmptyState';
import { buildPhases } from '../pipelineData';
import { defaultOptions, type PipelineOptions } from '../types';
import { type CardSize, PhaseCard } from './PhaseCard';

export function PipelinePanel({
  data,
  options,
  width,
  height,
  replaceVariables,
  timeRange,
}: PanelProps<PipelineOptions>) {
  const styles = useStyles2(getStyles);
  const o: PipelineOptions = useMemo(
    () => ({
      ...defaultOptions,
      ...options,
      data: { ...defaultOptions.data, ...options?.data },
      training: { ...defaultOptions.training, ...options?.training },
      evaluation: { ...defaultOptions.evaluation, ...options?.evaluation },
      deployment: { ...defaultOptions.deployment, ...options?.deployment },
    }),
    [options]
  );
  const result = useMemo(
    () => buildPhases(data.series, o, replaceVariables, timeRange),
    [data.series, o, replaceVariables, timeRange]
  );
  if (!result.ok) {
    return <EmptyState missing={result.missing} width={width} height={height} />;
  }

  // Tiny: 2x2 grid of chips. Narrow and tall: a vertical flow. Narrow (a phone, where Grafana stacks panels
  // full width) but not tall enough to stack: a 2x2 grid of small cards, never four squeezed columns.
  // Otherwise: left-to-right flow with arrows.
  const tiny = height < 120 || width < 300;
  const vertical = !tiny && width < 560 && height >= 4 * 64 + 3 * 14;
  const narrowGrid = !tiny && !vertical && width < 560;
  // A full card (name, state, headline, two lines of reason, link hint) needs ~118 px.
  const size: CardSize =
    tiny || (narrowGrid && height < 2 * 64)
      ? 'tiny'
      : narrowGrid || height < 118 || (vertical && height < 4 * 118 + 3 * 14)
        ? 'small'
        : 'full';
  // Spare height goes to the reason text (about 16 px a line beyond the ~100 px the rest of a card uses).
  const cardH = vertical ? (height - 3 * 14) / 4 : height;
  const reasonLines = Math.max(1, Math.min(8, Math.floor((cardH - 100) / 16)));
  const layout = tiny || narrowGrid ? 'grid' : vertical ? 'vertical' : 'horizontal';

  return (
    <nav
      aria-label="RLHF pipeline phases"
      className={layout === 'grid' ? styles.grid : layout === 'vertical' ? styles.vertical : styles.horizontal}
      style={{ width, height }}
      data-testid="pipeline-panel"
      data-layout={layout}
    >
      {result.phases.map((p, i) => (
        <Fragment key={p.phase}>
          {i > 0 && layout !== 'grid' && <Arrow down={layout === 'vertical'} />}
          <div className={styles.cell}>
            <PhaseCard view={p} size={size} reasonLines={reasonLines} />
          </div>
        </Fragment>
      ))}
    </nav>
  );
}

function Arrow({ down }: { down: boolean }) {
  const styles = useStyles2(getStyles);
  return (
    <svg
      className={styles.arrow}
      width={down ? 14 : 14}
      height={14}
      viewBox="0 0 14 14"
      aria-hidden
      style={{ transform: down ? 'rotate(90deg)' : undefined }}
    >
      <path d="M2 7 H11 M7 3 L11 7 L7 11" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" />
    </svg>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  horizontal: css({ display: 'flex', alignItems: 'stretch', gap: 4, overflow: 'hidden', boxSizing: 'border-box' }),
  vertical: css({ display: 'flex', flexDirection: 'column', alignItems: 'stretch', gap: 0, overflow: 'hidden' }),
  grid: css({
    display: 'grid',
    gridTemplateColumns: '1fr 1fr',
    gridTemplateRows: '1fr 1fr',
    gap: 4,
    overflow: 'hidden',
    boxSizing: 'border-box',
  }),
  cell: css({ flex: '1 1 0', minWidth: 0, minHeight: 0 }),
  arrow: css({ flex: '0 0 14px', alignSelf: 'center', color: theme.colors.text.secondary }),
});
