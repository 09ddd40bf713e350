// Panel builders: one function per panel type, each returning a PanelSpec for the Grid.
// Options are typed with the panel's own schema from @grafana/schema (Partial: Grafana fills defaults).
import {
  type DataSourceRef,
  type FieldConfigSource,
  type MatcherConfig,
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeSizing,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  GraphDrawStyle,
  GraphGradientMode,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LineInterpolation,
  SortOrder,
  StackingMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizOrientation,
} from '@grafana/schema';
import type { Options as BarChartOptions } from '@grafana/schema/dist/esm/raw/composable/barchart/panelcfg/x/BarChartPanelCfg_types.gen';
import type { Options as BarGaugeOptions } from '@grafana/schema/dist/esm/raw/composable/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type { Options as HeatmapOptions } from '@grafana/schema/dist/esm/raw/composable/heatmap/panelcfg/x/HeatmapPanelCfg_types.gen';
import type { Options as StatOptions } from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as StateTimelineOptions } from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';
import type { Options as TableOptions } from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';
import type { Options as TimeSeriesOptions } from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type { Options as TextOptions } from '@grafana/schema/dist/esm/raw/composable/text/panelcfg/x/TextPanelCfg_types.gen';
import {
  fieldConfig,
  type FieldOptions,
  type PanelSpec,
  PROM_DS,
  type PromTarget,
  RLHF_DS,
  type RlhfTarget,
} from './builders';
import { RUN_CELL_LINK, RUN_FIELD } from './links';

type Target = RlhfTarget | PromTarget;

interface Common {
  title: string;
  description: string;
  w: number;
  h: number;
  targets: Target[];
  field?: FieldOptions;
  transformations?: PanelSpec['transformations'];
  links?: PanelSpec['links'];
  /** Panel-level time override, e.g. '1h' for "last hour" read-outs. */
  timeFrom?: string;
}

/** Every panel targets one data source; mixing is not needed here and keeps the check simple. */
function datasourceOf(targets: Target[]): DataSourceRef {
  const types = new Set(targets.map((t) => t.datasource.uid));
  if (types.size !== 1) {
    throw new Error(`panel targets must share one data source, got ${[...types].join(', ')}`);
  }
  return targets[0].datasource.uid === PROM_DS.uid ? PROM_DS : RLHF_DS;
}

function base(type: string, c: Common, options: Record<string, unknown>, fc: FieldConfigSource): PanelSpec {
  return {
    type,
    title: c.title,
    description: c.description,
    w: c.w,
    h: c.h,
    datasource: datasourceOf(c.targets),
    targets: c.targets as unknown as Array<Record<string, unknown>>,
    fieldConfig: fc,
    options,
    ...(c.transformations?.length ? { transformations: c.transformations } : {}),
    ...(c.links ? { links: c.links } : {}),
    ...(c.timeFrom ? { timeFrom: c.timeFrom } : {}),
  };
}

/**
 * A `reduceOptions.fields` pattern for fields of one frame of a multi-frame reply. Grafana matches it against
 * the field's display name, which is "<frame name> <field name>" when the reply's frames have different names
 * (e.g. "summary psi" from drift), or the bare field name otherwise; a display name the service sets
 * (calibration's "ECE") wins over both, hence case-insensitive.
 */
export function inFrame(frame: string, ...names: string[]): string {
  return `/^(${frame} )?(${names.join('|')})$/i`;
}

/** Matches a field by name (for overrides): Grafana's byName matches the field name or its display name. */
export function byName(name: string): MatcherConfig {
  return { id: 'byName', options: name };
}

export function byRefId(refId: string): MatcherConfig {
  return { id: 'byFrameRefID', options: refId };
}

/**
 * Our `timeseries` frames carry a `step` number beside `value`; keep it in the tooltip but out of
 * the plot and the legend, so it never draws as a second line or stretches the axis.
 */
export const HIDE_STEP: FieldConfigSource['overrides'][number] = {
  matcher: byName('step'),
  properties: [{ id: 'custom.hideFrom', value: { viz: true, legend: true, tooltip: false } }],
};

export interface TimeSeriesExtra {
  /** Line smoothing in the panel (interpolation only; the statistics smoothing is server-side). */
  smooth?: boolean;
  fillOpacity?: number;
  /** Draw thresholds as a dashed line or a shaded area. */
  thresholdsStyle?: 'line' | 'area' | 'line+area';
  stacking?: boolean;
  bars?: boolean;
  legendCalcs?: string[];
  showPoints?: boolean;
}

export function timeseries(c: Common & TimeSeriesExtra): PanelSpec {
  const custom = {
    drawStyle: c.bars ? GraphDrawStyle.Bars : GraphDrawStyle.Line,
    lineInterpolation: c.smooth ? LineInterpolation.Smooth : LineInterpolation.Linear,
    lineWidth: 2,
    fillOpacity: c.fillOpacity ?? 12,
    gradientMode: GraphGradientMode.Opacity,
    showPoints: c.showPoints ? VisibilityMode.Always : VisibilityMode.Never,
    pointSize: 5,
    spanNulls: true,
    stacking: { mode: c.stacking ? StackingMode.Normal : StackingMode.None, group: 'A' },
    thresholdsStyle: {
      mode:
        c.thresholdsStyle === 'line'
          ? GraphThresholdsStyleMode.Dashed
          : c.thresholdsStyle === 'area'
            ? GraphThresholdsStyleMode.Area
            : c.thresholdsStyle === 'line+area'
              ? GraphThresholdsStyleMode.DashedAndArea
              : GraphThresholdsStyleMode.Off,
    },
    ...(c.field?.custom ?? {}),
  };
  const fc = fieldConfig({ ...c.field, custom, overrides: [HIDE_STEP, ...(c.field?.overrides ?? [])] });
  const options: Partial<TimeSeriesOptions> = {
    legend: {
      displayMode: c.legendCalcs ? LegendDisplayMode.Table : LegendDisplayMode.List,
      placement: 'bottom',
      showLegend: true,
      calcs: c.legendCalcs ?? [],
    },
    tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.Descending },
  };
  return base('timeseries', c, options, fc);
}

export interface StatExtra {
  /**
   * `reduceOptions.fields`: a regex on the display name (see inFrame). Grafana matches it after the field
   * config is applied, so never combine it with a displayName; use `only` for that. Empty = numeric fields.
   */
  fields?: string;
  /** Keep only these fields (by name) before reducing. */
  only?: string[];
  calc?: 'lastNotNull' | 'mean' | 'max' | 'min' | 'sum' | 'count';
  colorMode?: 'value' | 'background' | 'none';
  sparkline?: boolean;
  textMode?: 'auto' | 'value' | 'value_and_name' | 'name';
}

/**
 * Our `timeseries` frames carry `step` beside `value`: a stat or gauge over them drops `step` first, or it
 * would show the step number as a second figure. (By name: Grafana's name matchers also accept the bare
 * field name, while `reduceOptions.fields` only sees display names such as "<frame name> step".)
 */
function withoutStep(c: Common & { fields?: string; only?: string[] }): PanelSpec['transformations'] {
  const overTimeseries = c.targets.every((t) => 'type' in t && t.type === 'timeseries');
  const drop =
    overTimeseries && c.fields === undefined
      ? [{ id: 'filterFieldsByName', options: { exclude: { names: ['step'] } } }]
      : [];
  // `only`: keep these fields by name (Grafana's name matchers accept the bare field name) before any display
  // name is set, so a stat can both select a field and rename it (a `fields` regex would see the new name).
  const only = c.only ? [{ id: 'filterFieldsByName', options: { include: { names: c.only } } }] : [];
  return [...drop, ...only, ...(c.transformations ?? [])];
}

export function stat(c: Common & StatExtra): PanelSpec {
  const options: Partial<StatOptions> = {
    reduceOptions: { calcs: [c.calc ?? 'lastNotNull'], fields: c.fields ?? '', values: false },
    colorMode:
      c.colorMode === 'background'
        ? BigValueColorMode.Background
        : c.colorMode === 'none'
          ? BigValueColorMode.None
          : BigValueColorMode.Value,
    graphMode: c.sparkline ? BigValueGraphMode.Area : BigValueGraphMode.None,
    justifyMode: BigValueJustifyMode.Auto,
    textMode:
      c.textMode === 'value_and_name'
        ? BigValueTextMode.ValueAndName
        : c.textMode === 'name'
          ? BigValueTextMode.Name
          : c.textMode === 'value'
            ? BigValueTextMode.Value
            : BigValueTextMode.Auto,
    orientation: VizOrientation.Auto,
    wideLayout: true,
    showPercentChange: false,
  };
  return base(
    'stat',
    { ...c, transformations: withoutStep(c) },
    options,
    fieldConfig({ color: 'thresholds', ...c.field })
  );
}

export interface TableExtra {
  /** Which frame of a multi-frame reply to show (e.g. agreement: 0 summary, 1 pairs). */
  frameIndex?: number;
  sortBy?: Array<{ displayName: string; desc?: boolean }>;
  /** Colour cells of these fields by the thresholds. */
  colouredFields?: string[];
}

export function table(c: Common & TableExtra): PanelSpec {
  const options: Partial<TableOptions> = {
    frameIndex: c.frameIndex ?? 0,
    showHeader: true,
    cellHeight: 'sm' as TableOptions['cellHeight'],
    ...(c.sortBy ? { sortBy: c.sortBy } : {}),
  };
  const colourOverrides = (c.colouredFields ?? []).map((name) => ({
    matcher: byName(name),
    properties: [{ id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } }],
  }));
  // Any `run` column opens that run in Training (a table without one is not affected by the override).
  const runLink = { matcher: byName(RUN_FIELD), properties: [{ id: 'links', value: [RUN_CELL_LINK] }] };
  const fc = fieldConfig({
    color: 'thresholds',
    ...c.field,
    custom: { align: 'auto', filterable: true, inspect: false, ...(c.field?.custom ?? {}) },
    overrides: [...colourOverrides, runLink, ...(c.field?.overrides ?? [])],
  });
  return base('table', c, options, fc);
}

export interface BarChartExtra {
  xField?: string;
  horizontal?: boolean;
  stacked?: boolean;
  showValue?: boolean;
}

export function barchart(c: Common & BarChartExtra): PanelSpec {
  const options: Partial<BarChartOptions> = {
    ...(c.xField ? { xField: c.xField } : {}),
    orientation: c.horizontal ? VizOrientation.Horizontal : VizOrientation.Vertical,
    stacking: c.stacked ? StackingMode.Normal : StackingMode.None,
    showValue: c.showValue ? VisibilityMode.Always : VisibilityMode.Auto,
    barWidth: 0.8,
    groupWidth: 0.7,
    barRadius: 0.05,
    fullHighlight: false,
    xTickLabelRotation: 0,
    xTickLabelMaxLength: 20,
    legend: { displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: TooltipDisplayMode.Multi, sort: SortOrder.None },
  };
  const fc = fieldConfig({
    ...c.field,
    custom: { fillOpacity: 85, gradientMode: GraphGradientMode.None, lineWidth: 1, ...(c.field?.custom ?? {}) },
  });
  return base('barchart', c, options, fc);
}

export function stateTimeline(c: Common & { rowHeight?: number }): PanelSpec {
  const options: Partial<StateTimelineOptions> = {
    rowHeight: c.rowHeight ?? 0.8,
    showValue: VisibilityMode.Auto,
    mergeValues: true,
    alignValue: 'left' as StateTimelineOptions['alignValue'],
    legend: { displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] },
    tooltip: { mode: TooltipDisplayMode.Single, sort: SortOrder.None },
  };
  const fc = fieldConfig({
    color: 'thresholds',
    ...c.field,
    custom: { fillOpacity: 80, lineWidth: 0, ...(c.field?.custom ?? {}) },
  });
  return base('state-timeline', c, options, fc);
}

export function barGauge(
  c: Common & { fields?: string; only?: string[]; horizontal?: boolean; values?: boolean }
): PanelSpec {
  const options: Partial<BarGaugeOptions> = {
    reduceOptions: { calcs: ['lastNotNull'], fields: c.fields ?? '', values: c.values ?? false },
    orientation: c.horizontal === false ? VizOrientation.Vertical : VizOrientation.Horizontal,
    displayMode: BarGaugeDisplayMode.Gradient,
    valueMode: BarGaugeValueMode.Color,
    namePlacement: BarGaugeNamePlacement.Auto,
    showUnfilled: true,
    sizing: BarGaugeSizing.Auto,
    minVizHeight: 16,
    minVizWidth: 8,
    maxVizHeight: 300,
  };
  return base(
    'bargauge',
    { ...c, transformations: withoutStep(c) },
    options,
    fieldConfig({ color: 'thresholds', ...c.field })
  );
}

/** Heatmap that buckets every numeric field it receives (e.g. utilisation across all GPUs over time). */
export function heatmap(c: Common & { yUnit?: string; yMax?: number }): PanelSpec {
  const options: Partial<HeatmapOptions> = {
    calculate: true,
    calculation: { yBuckets: { mode: 'count' as never, value: '10' } },
    color: {
      mode: 'opacity' as HeatmapOptions['color']['mode'],
      fill: '#1DB584',
      scale: 'exponential' as HeatmapOptions['color']['scale'],
      exponent: 0.5,
      scheme: 'Greens',
      steps: 64,
      reverse: false,
    },
    yAxis: {
      axisPlacement: 'left' as never,
      ...(c.yUnit ? { unit: c.yUnit } : {}),
      ...(c.yMax !== undefined ? { max: c.yMax } : {}),
    },
    cellGap: 1,
    tooltip: { mode: TooltipDisplayMode.Single, yHistogram: true, showColorScale: false },
    legend: { show: true },
    showValue: VisibilityMode.Never,
    filterValues: { le: 1e-9 },
    rowsFrame: { layout: 'auto' as never },
    exemplars: { color: 'rgba(255,0,255,0.7)' },
  };
  return base(
    'heatmap',
    c,
    options,
    fieldConfig({ ...c.field, custom: { hideFrom: { viz: false, legend: false, tooltip: false } } })
  );
}

/** Grafana's alert list: the state of the provisioned Grafana-managed rules (no query of its own). */
export function alertList(c: Omit<Common, 'targets'>): PanelSpec {
  return {
    type: 'alertlist',
    title: c.title,
    description: c.description,
    w: c.w,
    h: c.h,
    options: {
      viewMode: 'list',
      groupMode: 'default',
      groupBy: [],
      maxItems: 20,
      sortOrder: 1,
      dashboardAlerts: false,
      alertName: '',
      alertInstanceLabelFilter: '',
      datasource: '',
      stateFilter: { firing: true, pending: true, noData: true, normal: true, error: true, recovering: true },
      showInstances: true,
    },
    fieldConfig: { defaults: {}, overrides: [] },
    targets: [],
  };
}

export function text(c: Omit<Common, 'targets'> & { content: string }): PanelSpec {
  const options: Partial<TextOptions> = { mode: 'markdown' as TextOptions['mode'], content: c.content };
  return {
    type: 'text',
    title: c.title,
    description: c.description,
    w: c.w,
    h: c.h,
    options,
    fieldConfig: { defaults: {}, overrides: [] },
    targets: [],
  };
}

/** One of our panel plugins (humain-*-panel); options are the panel's own, see src/panels/. */
export function humainPanel(
  type: 'humain-calibration-panel' | 'humain-drift-panel' | 'humain-pipeline-panel',
  c: Common,
  options: Record<string, unknown>
): PanelSpec {
  return base(type, c, options, fieldConfig({ ...c.field }));
}
