// A provisioned dashboard laid out on Grafana's grid: a toolbar with its variables and time range, row
// headers, and one PanelView per panel. Every variable or time-range change is a new "generation": all
// panels query again and report under it, which is what the test waits on.
import { css } from '@emotion/css';
import { type DataSourceApi, type GrafanaTheme2, type PanelPlugin, rangeUtil, type TimeRange } from '@grafana/data';
import React, { useCallback, useEffect, useRef, useState } from 'react';
import {
  type DashboardPanel,
  flattenPanels,
  GRID_CELL_HEIGHT,
  GRID_COLUMNS,
  GRID_MARGIN,
  panelKind,
  panelSize,
} from './panelKinds';
import { PanelView, type PanelReport } from './PanelView';
import { ALL, type HostTemplateSrv, type HostVariable } from './templateSrv';

export interface DashboardJson {
  uid: string;
  title: string;
  time?: { from: string; to: string };
  panels: DashboardPanel[];
  templating?: { list: Array<Record<string, unknown>> };
  annotations?: { list: Array<Record<string, unknown>> };
}

export interface AnnotationReport {
  name: string;
  state: 'loading' | 'done' | 'error';
  count?: number;
  error?: string;
  generation: number;
}

export interface DashboardControls {
  setVariable(name: string, value: string | string[]): number;
  setTimeRange(from: string, to: string): number;
}

export const TIME_CHOICES = ['now-1h', 'now-6h', 'now-24h', 'now-2d', 'now-7d', 'now-30d'];

interface Props {
  dashboard: DashboardJson;
  ds: DataSourceApi;
  /** Other data sources by uid (the host's Prometheus); panels on them use them. */
  others?: Record<string, DataSourceApi>;
  panelPlugins: Map<string, PanelPlugin>;
  templateSrv: HostTemplateSrv;
  theme: GrafanaTheme2;
  width: number;
  initialRange: { from: string; to: string };
  reports: Map<number, PanelReport>;
  onGeneration: (g: number) => void;
  onControls: (c: DashboardControls) => void;
  runAnnotations: (range: TimeRange, generation: number) => Promise<AnnotationReport[]>;
}

export function DashboardView(p: Props) {
  const { dashboard, ds, panelPlugins, templateSrv, theme, width, reports } = p;
  const s = getStyles(theme);
  const [raw, setRaw] = useState(p.initialRange);
  const [generation, setGeneration] = useState(1);
  const [variables, setVariables] = useState<HostVariable[]>(() => templateSrv.list().map((v) => ({ ...v })));
  const [annotations, setAnnotations] = useState<AnnotationReport[]>([]);
  const range = React.useMemo(() => rangeUtil.convertRawToRange(raw), [raw]);

  const counter = useRef(1);
  const bump = useCallback(() => {
    counter.current += 1;
    setGeneration(counter.current);
    return counter.current;
  }, []);

  useEffect(() => {
    templateSrv.updateTimeRange(range);
    p.onGeneration(generation);
    let live = true;
    p.runAnnotations(range, generation).then((a) => live && setAnnotations(a));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation]);

  const setVariable = useCallback(
    (name: string, value: string | string[]) => {
      templateSrv.setValue(name, value);
      setVariables(templateSrv.list().map((v) => ({ ...v })));
      return bump();
    },
    [templateSrv, bump]
  );
  const setTimeRange = useCallback(
    (from: string, to: string) => {
      setRaw({ from, to });
      return bump();
    },
    [bump]
  );
  useEffect(() => p.onControls({ setVariable, setTimeRange }), [p, setVariable, setTimeRange]);

  const onReport = useCallback((r: PanelReport) => reports.set(r.id, r), [reports]);
  const pluginIds = new Set(panelPlugins.keys());
  const dsRef = ds.getRef();
  const timeChoices = TIME_CHOICES.includes(raw.from) ? TIME_CHOICES : [raw.from, ...TIME_CHOICES];

  return (
    <div className={s.page} data-testid="dashboard" data-uid={dashboard.uid} data-generation={generation}>
      <div className={s.toolbar}>
        <h1 className={s.title}>{dashboard.title}</h1>
        {variables
          .filter((v) => v.hide !== 2)
          .map((v) => (
            <label key={v.name} className={s.field}>
              <span>{v.label ?? v.name}</span>
              <select
                data-testid={`var-${v.name}`}
                className={s.select}
                value={Array.isArray(v.current) ? v.current[0] : v.current}
                onChange={(e) => setVariable(v.name, e.target.value)}
              >
                {v.includeAll && <option value={ALL}>All</option>}
                {v.options.map((o) => (
                  <option key={o} value={o}>
                    {o}
                  </option>
                ))}
              </select>
            </label>
          ))}
        <label className={s.field}>
          <span>Time</span>
          <select
            data-testid="time-range"
            className={s.select}
            value={raw.from}
            onChange={(e) => setTimeRange(e.target.value, 'now')}
          >
            {timeChoices.map((c) => (
              <option key={c} value={c}>
                {c === 'now' ? c : `Last ${c.slice(4)}`}
              </option>
            ))}
          </select>
        </label>
        <span className={s.annotations} data-testid="annotations">
          {annotations.map((a) => (
            <span key={a.name} data-state={a.state} title={a.error}>
              {a.name}: {a.state === 'done' ? `${a.count} event${a.count === 1 ? '' : 's'}` : a.state}
            </span>
          ))}
        </span>
      </div>
      <div
        className={s.grid}
        style={{
          gridTemplateColumns: `repeat(${GRID_COLUMNS}, 1fr)`,
          gridAutoRows: `${GRID_CELL_HEIGHT}px`,
          gap: `${GRID_MARGIN}px`,
          width,
        }}
      >
        {flattenPanels(dashboard.panels).map((panel) => {
          const panelDs = dataSourceOf(panel, ds, p.others ?? {});
          const kind = panelKind(panel, pluginIds, panelDs === ds ? dsRef : panelDs.getRef());
          const { x, y, w, h } = panel.gridPos;
          const place = { gridColumn: `${x + 1} / span ${w}`, gridRow: `${y + 1} / span ${h}` };
          if (kind.kind === 'row') {
            return (
              <div key={panel.id} className={s.row} style={place} data-testid="dashboard-row">
                {templateSrv.replace(panel.title ?? '')}
              </div>
            );
          }
          const size = panelSize(panel.gridPos, width);
          return (
            <div key={panel.id} style={place}>
              <PanelView
                panel={panel}
                kind={kind}
                plugin={kind.kind === 'plugin' ? panelPlugins.get(kind.pluginId) : undefined}
                ds={panelDs}
                range={range}
                generation={generation}
                width={size.width}
                height={size.height}
                theme={theme}
                templateSrv={templateSrv}
                dashboardUID={dashboard.uid}
                onReport={onReport}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}

/** The data source a panel queries: its own (or its targets') when the host runs it, else ours. */
function dataSourceOf(panel: DashboardPanel, ds: DataSourceApi, others: Record<string, DataSourceApi>): DataSourceApi {
  const uid = panel.datasource?.uid ?? panel.targets?.find((t) => t.datasource?.uid)?.datasource?.uid;
  return (uid && others[uid]) || ds;
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({
    background: theme.colors.background.canvas,
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamily,
    padding: theme.spacing(2),
    minHeight: '100vh',
    boxSizing: 'border-box',
  }),
  toolbar: css({
    display: 'flex',
    alignItems: 'flex-end',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  }),
  title: css({ fontSize: theme.typography.h3.fontSize, margin: 0, marginRight: theme.spacing(2) }),
  field: css({
    display: 'flex',
    flexDirection: 'column',
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    gap: 2,
  }),
  select: css({
    background: theme.components.input.background,
    color: theme.colors.text.primary,
    border: `1px solid ${theme.components.input.borderColor}`,
    borderRadius: theme.shape.radius.default,
    padding: '4px 8px',
    fontSize: theme.typography.body.fontSize,
    // Grafana's global styles size form controls for its own inputs: give the native select its height back.
    height: theme.spacing.gridSize * 4,
    boxSizing: 'border-box',
  }),
  annotations: css({
    display: 'flex',
    gap: theme.spacing(1.5),
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    marginLeft: 'auto',
  }),
  grid: css({ display: 'grid' }),
  row: css({
    display: 'flex',
    alignItems: 'flex-end',
    fontSize: theme.typography.h5.fontSize,
    fontWeight: theme.typography.fontWeightMedium,
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    paddingBottom: 4,
  }),
});
