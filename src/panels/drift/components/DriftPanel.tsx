import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { ChartTooltip, type TipState } from '../../shared/ChartTooltip';
import { EmptyState } from '../../shared/EmptyState';
import { fmt } from '../../shared/format';
import { statusColor } from '../../shared/palette';
import { extractDrift } from '../driftData';
import { defaultOptions, type DriftOptions, type DriftView, type FeatureStats } from '../types';
import { DriftHistogram } from './DriftHistogram';
import { FeatureTable } from './FeatureTable';
import { SEVERITY_STATUS, SeverityBadge } from './SeverityBadge';
import { StatsTable } from './StatsTable';

const HEADER_H = 28;
const STAT_ROW_H = 21;
const TABLE_W = 230;

export function DriftPanel({ data, options, width, height, replaceVariables }: PanelProps<DriftOptions>) {
  const styles = useStyles2(getStyles);
  const [tip, setTip] = useState<TipState | null>(null);
  // A row the user picked, and the preselection it was picked under: a new preselection (another drill-down
  // link followed) replaces an older pick, while the pick wins over the preselection it was made against.
  const [picked, setPicked] = useState<{ feature: string; under: string } | undefined>();
  const o = { ...defaultOptions, ...options };
  const preselected = replaceVariables(o.selectedFeature ?? '').trim();
  const result = useMemo(
    () => extractDrift(data, o, replaceVariables),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [data.series, data.request, o.referenceField, o.currentField, o.bins, o.psiModerate, o.psiMajor]
  );
  if (!result.ok) {
    return <EmptyState missing={result.missing} width={width} height={height} />;
  }
  const { view } = result;
  const compact = height < 150 || width < 280;
  const multi = view.features.length > 1;
  const withHist = view.features.filter((f) => view.histograms[f.feature]);
  const pick = picked?.under === preselected ? picked.feature : undefined;
  const selected =
    withHist.find((f) => f.feature === pick) ?? withHist.find((f) => f.feature === preselected) ?? withHist[0];
  const common = { 'data-testid': 'drift-panel', 'data-tip-root': true, style: { width, height } };

  if (compact) {
    return (
      <div className={styles.compact} {...common} data-layout="compact">
        {multi ? (
          <CompactList features={view.features} height={height} />
        ) : (
          <CompactSingle view={view} width={width} height={height} onHover={setTip} />
        )}
        <ChartTooltip tip={tip} width={width} height={height} />
      </div>
    );
  }

  const bodyH = height - HEADER_H - 4;
  const hist = (w: number, h: number, f: FeatureStats | undefined) =>
    f && view.histograms[f.feature] && h >= 60 ? (
      <DriftHistogram
        bins={view.histograms[f.feature]}
        width={w}
        height={h}
        referenceLabel={view.referenceLabel}
        currentLabel={view.currentLabel}
        onHover={setTip}
      />
    ) : null;

  let body: React.ReactNode;
  if (multi) {
    const side = selected && width >= 640;
    const tableW = side ? Math.floor(width * 0.55) : width;
    body = (
      <div className={styles.row} style={{ height: bodyH }}>
        <div className={styles.scroll} style={{ width: tableW, height: bodyH }}>
          <FeatureTable
            features={view.features}
            width={tableW}
            selected={side ? selected?.feature : undefined}
            onSelect={side ? (feature) => setPicked({ feature, under: preselected }) : undefined}
            // a row without a histogram would take the focus and do nothing
            selectable={(feature) => Boolean(view.histograms[feature])}
          />
        </div>
        {side && hist(width - tableW - 12, bodyH, selected)}
      </div>
    );
  } else {
    const f = view.features[0];
    if (width >= 520) {
      body = (
        <div className={styles.row} style={{ height: bodyH }}>
          {hist(width - TABLE_W - 12, bodyH, f)}
          <div style={{ width: TABLE_W }}>
            <StatsTable stats={f} />
          </div>
        </div>
      );
    } else {
      const rows = Math.max(0, Math.min(5, Math.floor((bodyH - 80) / STAT_ROW_H)));
      body = (
        <div className={styles.col} style={{ height: bodyH }}>
          {hist(width, bodyH - rows * STAT_ROW_H - (rows ? 4 : 0), f)}
          {rows > 0 && <StatsTable stats={f} rows={rows} />}
        </div>
      );
    }
  }

  return (
    <div className={styles.full} {...common} data-layout={multi ? 'features' : 'single'}>
      <Header view={view} multi={multi} selected={selected} />
      {body}
      <ChartTooltip tip={tip} width={width} height={height} />
    </div>
  );
}

function Header({ view, multi, selected }: { view: DriftView; multi: boolean; selected?: FeatureStats }) {
  const styles = useStyles2(getStyles);
  if (multi) {
    const drifting = view.features.filter((f) => f.severity !== 'none').length;
    return (
      <div className={styles.header}>
        <span className={styles.title}>{view.features.length} features</span>
        <span className={styles.muted}>
          {drifting} drifting{selected && view.histograms[selected.feature] ? ` · histogram: ${selected.feature}` : ''}
        </span>
      </div>
    );
  }
  const f = view.features[0];
  return (
    <div className={styles.header}>
      <span className={styles.title} title={f.feature}>
        {f.feature}
      </span>
      <SeverityBadge severity={f.severity} />
      <span className={styles.muted} data-testid="drift-psi">
        PSI {fmt(f.psi)}
      </span>
    </div>
  );
}

function CompactSingle(props: {
  view: DriftView;
  width: number;
  height: number;
  onHover: (t: TipState | null) => void;
}) {
  const { view, width, height, onHover } = props;
  const styles = useStyles2(getStyles);
  const f = view.features[0];
  const bins = view.histograms[f.feature];
  const chartW = width - 116;
  return (
    <>
      <div className={styles.compactText}>
        <SeverityBadge severity={f.severity} />
        <span className={styles.big} data-testid="drift-psi">
          PSI {fmt(f.psi, 2)}
        </span>
        <span className={styles.mutedSmall} title={f.feature}>
          {f.feature}
        </span>
      </div>
      {bins && chartW >= 50 && (
        <DriftHistogram
          bins={bins}
          width={chartW}
          height={height - 8}
          compact
          referenceLabel={view.referenceLabel}
          currentLabel={view.currentLabel}
          onHover={onHover}
        />
      )}
    </>
  );
}

function CompactList({ features, height }: { features: FeatureStats[]; height: number }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const fit = Math.max(1, Math.floor((height - 4) / 18));
  const shown = features.length > fit ? features.slice(0, fit - 1) : features;
  const rest = features.length - shown.length;
  return (
    <ul className={styles.list}>
      {shown.map((f) => (
        <li
          key={f.feature}
          data-testid="drift-feature-row"
          data-feature={f.feature}
          title={`${f.feature}: ${f.severity} drift, PSI ${fmt(f.psi)}`}
        >
          <span
            className={styles.dot}
            data-testid="drift-severity"
            data-severity={f.severity}
            style={{ background: statusColor(SEVERITY_STATUS[f.severity], theme) }}
            aria-label={`${f.severity} drift`}
            role="img"
          />
          <span className={styles.listName}>{f.feature}</span>
          <span className={styles.listNum}>{fmt(f.psi, 2)}</span>
        </li>
      ))}
      {rest > 0 && <li className={styles.mutedSmall}>+{rest} more</li>}
    </ul>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  full: css({ position: 'relative', overflow: 'hidden', display: 'flex', flexDirection: 'column', gap: 4 }),
  compact: css({ position: 'relative', overflow: 'hidden', display: 'flex', alignItems: 'center', gap: 6 }),
  header: css({
    height: HEADER_H,
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    overflow: 'hidden',
    flex: '0 0 auto',
  }),
  title: css({
    fontWeight: 600,
    fontSize: 14,
    color: theme.colors.text.primary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    minWidth: 0,
  }),
  muted: css({
    fontSize: 12,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
  }),
  mutedSmall: css({
    fontSize: 11,
    color: theme.colors.text.secondary,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    maxWidth: '100%',
  }),
  big: css({
    fontSize: 18,
    fontWeight: 600,
    color: theme.colors.text.primary,
    whiteSpace: 'nowrap',
    fontVariantNumeric: 'tabular-nums',
  }),
  compactText: css({
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: 2,
    width: 110,
    flex: '0 0 110px',
    overflow: 'hidden',
  }),
  row: css({ display: 'flex', flexDirection: 'row', gap: 12, overflow: 'hidden' }),
  col: css({ display: 'flex', flexDirection: 'column', gap: 4, overflow: 'hidden' }),
  scroll: css({ overflowY: 'auto', overflowX: 'hidden' }),
  list: css({
    listStyle: 'none',
    margin: 0,
    padding: 0,
    width: '100%',
    fontSize: 12,
    color: theme.colors.text.primary,
    li: { display: 'flex', alignItems: 'center', gap: 6, height: 18 },
  }),
  dot: css({ width: 10, height: 10, borderRadius: '50%', flex: '0 0 10px' }),
  listName: css({ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }),
  listNum: css({ fontVariantNumeric: 'tabular-nums', color: theme.colors.text.secondary }),
});
