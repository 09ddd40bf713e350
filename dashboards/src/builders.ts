// Small typed builders for the provisioned dashboards. Plain objects typed with @grafana/schema,
// so a wrong field name fails `tsc` instead of failing silently in Grafana.
import type { QueryTarget } from '@rlhf-monitor/contract';
import {
  type AnnotationQuery,
  type Dashboard,
  type DashboardLink,
  type DataSourceRef,
  type FieldConfigSource,
  type Panel,
  type RowPanel,
  type Threshold,
  type VariableModel,
  DashboardCursorSync,
  FieldColorModeId,
  ThresholdsMode,
  VariableHide,
  VariableRefresh,
  VariableSort,
} from '@grafana/schema';
import { TEAL } from './palette';

/** The provisioned data sources (provisioning/datasources/datasources.yaml). */
export const RLHF_DS: DataSourceRef = { type: 'humain-rlhf-datasource', uid: 'rlhf' };
export const PROM_DS: DataSourceRef = { type: 'prometheus', uid: 'prometheus' };

/** Grafana's current dashboard schema version for the 12.4 line (@grafana/schema 12.4 defaults). */
export const SCHEMA_VERSION = 42;
export const SHARED_TAG = 'rlhf';

/**
 * A query of the RLHF service exactly as a panel target stores it: the contract's union (docs/contract.md,
 * "Query types"). Field values may hold template variables (`$run`); the data source interpolates them.
 */
export type RlhfQuery = QueryTarget extends infer T ? (T extends unknown ? Omit<T, 'refId'> : never) : never;

export type RlhfTarget = RlhfQuery & { refId: string; datasource: DataSourceRef };

export function rlhf(query: RlhfQuery, refId = 'A'): RlhfTarget {
  return { refId, datasource: RLHF_DS, ...query };
}

export interface PromTarget {
  refId: string;
  datasource: DataSourceRef;
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

export function prom(expr: string, legendFormat: string, refId = 'A'): PromTarget {
  return { refId, datasource: PROM_DS, expr, legendFormat, range: true, instant: false };
}

/** The latest value only (stat panels): answered at the end of the range whatever its length. */
export function promInstant(expr: string, legendFormat: string, refId = 'A'): PromTarget {
  return { ...prom(expr, legendFormat, refId), range: false, instant: true };
}

/** Threshold steps from [colour, from-value] pairs; the first step is the base (value null). */
export function steps(base: string, ...rest: Array<[number, string]>): Threshold[] {
  return [{ color: base, value: null }, ...rest.map(([value, color]) => ({ color, value }))];
}

export interface FieldOptions {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  /** Threshold steps; colours come from the HUMAIN status palette. */
  thresholds?: Threshold[];
  /**
   * 'fixed' = teal, 'shades' = shades of teal per series, 'thresholds' = colour by value, 'byName' = a palette
   * colour fixed by the series name (the same run keeps its colour on every panel).
   */
  color?: 'fixed' | 'shades' | 'thresholds' | 'palette' | 'byName';
  fixedColor?: string;
  displayName?: string;
  custom?: Record<string, unknown>;
  mappings?: NonNullable<FieldConfigSource['defaults']['mappings']>;
  noValue?: string;
  /** Data links on every value (drill-down: a run opens the Training dashboard with that run selected). */
  links?: NonNullable<FieldConfigSource['defaults']['links']>;
  overrides?: FieldConfigSource['overrides'];
}

const COLOR_MODES = {
  fixed: FieldColorModeId.Fixed,
  shades: FieldColorModeId.Shades,
  thresholds: FieldColorModeId.Thresholds,
  palette: FieldColorModeId.PaletteClassic,
  byName: FieldColorModeId.PaletteClassicByName,
} as const;

export function fieldConfig(o: FieldOptions = {}): FieldConfigSource {
  const mode = COLOR_MODES[o.color ?? 'fixed'];
  return {
    defaults: {
      color: {
        mode,
        ...(mode === FieldColorModeId.Fixed || mode === FieldColorModeId.Shades
          ? { fixedColor: o.fixedColor ?? TEAL }
          : {}),
      },
      ...(o.unit ? { unit: o.unit } : {}),
      ...(o.decimals !== undefined ? { decimals: o.decimals } : {}),
      ...(o.min !== undefined ? { min: o.min } : {}),
      ...(o.max !== undefined ? { max: o.max } : {}),
      ...(o.displayName ? { displayName: o.displayName } : {}),
      ...(o.noValue ? { noValue: o.noValue } : {}),
      ...(o.mappings ? { mappings: o.mappings } : {}),
      ...(o.links ? { links: o.links } : {}),
      thresholds: { mode: ThresholdsMode.Absolute, steps: o.thresholds ?? steps(TEAL) },
      ...(o.custom ? { custom: o.custom } : {}),
    },
    overrides: o.overrides ?? [],
  };
}

/** A panel before layout: the grid assigns `id` and `gridPos`. */
export type PanelSpec = Omit<Panel, 'id' | 'gridPos'> & { w: number; h: number };

export const GRID_COLUMNS = 24;

/**
 * Packs panels in reading order on Grafana's 24-column grid: each panel goes to the highest free spot
 * (then the leftmost) below the current row header, so shorter panels never leave holes that Grafana's own
 * vertical compaction would fill differently. `row()` starts a full-width row header under everything so far.
 * Ids are sequential, so they are unique per dashboard.
 */
export class Grid {
  /** Per column, the first free y. */
  private heights = new Array<number>(GRID_COLUMNS).fill(0);
  private nextId = 1;
  readonly panels: Array<Panel | RowPanel> = [];

  row(title: string): this {
    const y = Math.max(...this.heights);
    this.panels.push({
      type: 'row',
      id: this.nextId++,
      title,
      collapsed: false,
      panels: [],
      gridPos: { x: 0, y, w: GRID_COLUMNS, h: 1 },
    });
    this.heights.fill(y + 1);
    return this;
  }

  add(...specs: PanelSpec[]): this {
    for (const { w, h, ...panel } of specs) {
      if (w > GRID_COLUMNS || w < 1 || h < 1) {
        throw new Error(`panel "${panel.title}" is ${w}x${h}; the grid has ${GRID_COLUMNS} columns`);
      }
      let best = { x: 0, y: Infinity };
      for (let x = 0; x + w <= GRID_COLUMNS; x++) {
        const y = Math.max(...this.heights.slice(x, x + w));
        if (y < best.y) {
          best = { x, y };
        }
      }
      this.panels.push({ ...panel, id: this.nextId++, gridPos: { x: best.x, y: best.y, w, h } });
      this.heights.fill(best.y + h, best.x, best.x + w);
    }
    return this;
  }
}

export interface CatalogVariable {
  name: string;
  label: string;
  of: Extract<RlhfQuery, { type: 'catalog' }>['of'];
  /** A value that exists in the demo data, so the dashboard shows data on first load. */
  defaultValue: string;
  description?: string;
  /** Optional regex applied to the catalog values (e.g. to keep training runs only). */
  regex?: string;
}

/** A query variable over the service's catalog: the variable query model IS the catalog query object. */
export function catalogVariable(v: CatalogVariable): VariableModel {
  return {
    type: 'query',
    name: v.name,
    label: v.label,
    ...(v.description ? { description: v.description } : {}),
    datasource: RLHF_DS,
    query: { refId: `${v.name}-catalog`, type: 'catalog', of: v.of },
    current: { selected: true, text: v.defaultValue, value: v.defaultValue },
    options: [],
    refresh: VariableRefresh.onDashboardLoad,
    regex: v.regex ?? '',
    sort: VariableSort.alphabeticalAsc,
    multi: false,
    includeAll: false,
    hide: VariableHide.dontHide,
    skipUrlSync: false,
  };
}

/** A fixed-choice variable (e.g. the drift reference/current sources). */
export function customVariable(name: string, label: string, values: string[], defaultValue: string): VariableModel {
  return {
    type: 'custom',
    name,
    label,
    query: values.join(','),
    current: { selected: true, text: defaultValue, value: defaultValue },
    options: values.map((value) => ({ selected: value === defaultValue, text: value, value })),
    multi: false,
    includeAll: false,
    hide: VariableHide.dontHide,
    skipUrlSync: false,
  };
}

/**
 * A hidden free-text variable, empty by default: set only by drill-down links (`var-<name>=...`) and read by
 * panel options (e.g. the drift panel's histogram feature).
 */
export function linkVariable(name: string, label: string, description: string): VariableModel {
  return {
    type: 'textbox',
    name,
    label,
    description,
    query: '',
    current: { selected: false, text: '', value: '' },
    options: [],
    hide: VariableHide.hideVariable,
    skipUrlSync: false,
  };
}

/** Dashboard annotation from the service's `events` query (shown as markers on every time panel). */
export function eventAnnotation(name: string, tags: string[], iconColor: string, enable = true): AnnotationQuery {
  return {
    name,
    datasource: RLHF_DS,
    enable,
    hide: false,
    iconColor,
    target: {
      refId: `anno-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
      type: 'events',
      tags,
    } as AnnotationQuery['target'],
  };
}

/** Grafana's own "Annotations & Alerts" annotation, kept so alert state changes show on time panels. */
export const BUILT_IN_ANNOTATION: AnnotationQuery = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

/** One drop-down link to every dashboard carrying the shared tag. */
export const PIPELINE_LINKS: DashboardLink[] = [
  {
    title: 'RLHF Pipeline',
    type: 'dashboards',
    tags: [SHARED_TAG],
    asDropdown: false,
    includeVars: false,
    keepTime: true,
    targetBlank: false,
    icon: 'external link',
    tooltip: 'The other RLHF pipeline dashboards',
  },
];

/**
 * The dashboard JSON as provisioned. `style: 'light'` is the legacy per-dashboard theme field; the compose
 * stack also sets GF_USERS_DEFAULT_THEME=light, which is what current Grafana honours.
 */
export type ProvisionedDashboard = Dashboard & { uid: string; title: string; style: 'light' };

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  time?: { from: string; to: string };
  refresh?: string;
  variables?: VariableModel[];
  annotations?: AnnotationQuery[];
  grid: Grid;
}

export function dashboard(s: DashboardSpec): ProvisionedDashboard {
  return {
    uid: s.uid,
    title: s.title,
    description: s.description,
    tags: [SHARED_TAG, ...s.tags],
    style: 'light',
    editable: true,
    graphTooltip: DashboardCursorSync.Crosshair,
    timezone: 'browser',
    time: s.time ?? { from: 'now-7d', to: 'now' },
    refresh: s.refresh ?? '30s',
    fiscalYearStartMonth: 0,
    liveNow: false,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    links: PIPELINE_LINKS,
    annotations: { list: [BUILT_IN_ANNOTATION, ...(s.annotations ?? [])] },
    templating: { list: s.variables ?? [] },
    timepicker: {},
    panels: s.grid.panels,
  };
}
