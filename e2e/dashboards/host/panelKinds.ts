// How the host shows each panel of a dashboard: ours with the plugin's own code, Grafana's built-in
// visualisations as a compact table of the data they would get, and panels that only work inside Grafana
// (or against Prometheus) as a "not applicable" marker.
import type { DataSourceRef } from '@grafana/data';

export interface DashboardPanel {
  id: number;
  type: string;
  title?: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: DataSourceRef | null;
  targets?: Array<Record<string, unknown> & { refId: string; datasource?: DataSourceRef | null }>;
  options?: Record<string, unknown>;
  fieldConfig?: { defaults?: Record<string, unknown>; overrides?: unknown[] };
  transformations?: Array<{ id: string; options?: unknown; disabled?: boolean }>;
  timeFrom?: string;
  maxDataPoints?: number;
  interval?: string;
  collapsed?: boolean;
  panels?: DashboardPanel[];
}

/** Core panels that read Grafana's own state (alerting, search, news) rather than a data source. */
export const NEEDS_GRAFANA = new Set([
  'alertlist',
  'annolist',
  'dashlist',
  'news',
  'text',
  'welcome',
  'gettingstarted',
]);

export type PanelKind =
  { kind: 'row' } | { kind: 'plugin'; pluginId: string } | { kind: 'builtin' } | { kind: 'na'; reason: string };

function dsOf(panel: DashboardPanel): DataSourceRef | undefined {
  const refs = [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)].filter(Boolean) as DataSourceRef[];
  return refs.find((r) => r.uid !== '-- Mixed --') ?? refs[0];
}

export function panelKind(panel: DashboardPanel, pluginPanels: Set<string>, ourDataSource: DataSourceRef): PanelKind {
  if (panel.type === 'row') {
    return { kind: 'row' };
  }
  if (NEEDS_GRAFANA.has(panel.type)) {
    return {
      kind: 'na',
      reason: `Needs Grafana: "${panel.type}" is a Grafana core panel that reads Grafana's own state.`,
    };
  }
  const ds = dsOf(panel);
  if (ds && ds.uid !== ourDataSource.uid && ds.type !== ourDataSource.type) {
    const what =
      ds.type === 'prometheus' || ds.uid === 'prometheus' ? 'Prometheus' : `data source ${ds.uid ?? ds.type}`;
    return { kind: 'na', reason: `Needs ${what}: this panel queries ${what}, which runs next to Grafana, not here.` };
  }
  if (pluginPanels.has(panel.type)) {
    return { kind: 'plugin', pluginId: panel.type };
  }
  return { kind: 'builtin' };
}

/** Rows hold their panels inline when expanded and in `panels` when collapsed: list them all, in order. */
export function flattenPanels(panels: DashboardPanel[]): DashboardPanel[] {
  return panels.flatMap((p) => (p.type === 'row' && p.panels?.length ? [p, ...p.panels] : [p]));
}

export const GRID_CELL_HEIGHT = 30;
export const GRID_MARGIN = 8;
export const GRID_COLUMNS = 24;

/** Pixel size of a panel on Grafana's grid (react-grid-layout: 24 columns, 30 px rows, 8 px margins). */
export function panelSize(
  gridPos: DashboardPanel['gridPos'],
  containerWidth: number
): { width: number; height: number } {
  const colWidth = (containerWidth - GRID_MARGIN * (GRID_COLUMNS - 1)) / GRID_COLUMNS;
  return {
    width: Math.floor(gridPos.w * colWidth + (gridPos.w - 1) * GRID_MARGIN),
    height: gridPos.h * GRID_CELL_HEIGHT + (gridPos.h - 1) * GRID_MARGIN,
  };
}
