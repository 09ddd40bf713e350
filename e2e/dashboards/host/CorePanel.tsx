// Grafana's built-in visualisations drawn by @grafana/ui's own components: time series (TimeSeries, uPlot), stat
// (BigValue), bar gauge (BarGauge), gauge (Gauge) and table (TableNG), each fed the frames after Grafana's field
// config pipeline (fieldConfig.ts) with the panel's saved options. The table is TableNG, the grid Grafana 12's
// table panel draws (the @grafana/ui ESM build no longer exports the older `Table`). Core panels that @grafana/ui does not export
// (bar chart, heatmap, state timeline, ...) stay a table of their data, labelled so.
import {
  type DataFrame,
  type FieldConfigSource,
  type FieldDisplay,
  FieldType,
  getDisplayValueAlignmentFactors,
  getFieldDisplayValues,
  type GrafanaTheme2,
  type ReduceDataOptions,
  type ScopedVars,
  type TimeRange,
  VizOrientation,
} from '@grafana/data';
import {
  BarGauge,
  BarGaugeDisplayMode,
  BigValue,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  DataLinksContextMenu,
  Gauge,
  LegendDisplayMode,
  TimeSeries,
  VizRepeater,
} from '@grafana/ui';
import { TableNG } from '@grafana/ui/unstable';
import React from 'react';
import { withCoreDefaults } from './fieldConfig';

/** Core panel types drawn here with Grafana's components; the rest are shown as their data. */
export const DRAWN_PANELS = new Set(['timeseries', 'stat', 'bargauge', 'gauge', 'table']);

export interface CorePanelProps {
  type: string;
  /** Frames after applyCoreFieldConfig. */
  frames: DataFrame[];
  options: Record<string, any>;
  fieldConfig: FieldConfigSource;
  width: number;
  height: number;
  timeRange: TimeRange;
  theme: GrafanaTheme2;
  renderCounter: number;
  replaceVariables: (s: string, vars?: ScopedVars) => string;
}

/** What a stat, gauge or bar gauge shows: getFieldDisplayValues with the panel's reduceOptions. */
export function reducedValues(
  p: Omit<CorePanelProps, 'width' | 'height' | 'timeRange' | 'renderCounter'>
): FieldDisplay[] {
  const saved = (p.options.reduceOptions ?? {}) as Partial<ReduceDataOptions>;
  return getFieldDisplayValues({
    data: p.frames,
    reduceOptions: { values: false, ...saved, calcs: saved.calcs ?? ['lastNotNull'] },
    fieldConfig: withCoreDefaults(p.type, p.fieldConfig),
    replaceVariables: (s: string, vars?: ScopedVars) => p.replaceVariables(s, vars),
    theme: p.theme,
    timeZone: 'utc',
    sparkline: p.type === 'stat' && p.options.graphMode !== 'none',
  });
}

/** Frames a time series can draw: a time field and a number (Grafana's prepareGraphableFields drops the rest). */
export function graphableFrames(frames: DataFrame[]): DataFrame[] {
  return frames.filter(
    (f) => f.fields.some((x) => x.type === FieldType.time) && f.fields.some((x) => x.type === FieldType.number)
  );
}

function Repeater(
  p: CorePanelProps & { render: (v: FieldDisplay, w: number, h: number, count: number, f: any) => React.ReactElement }
) {
  const values = reducedValues(p);
  const orientation = (p.options.orientation ?? VizOrientation.Auto) as VizOrientation;
  return (
    <VizRepeater<FieldDisplay, any>
      source={p.frames}
      getValues={() => values}
      getAlignmentFactors={(vs) => getDisplayValueAlignmentFactors(vs)}
      renderValue={({ value, width, height, count, alignmentFactors }) =>
        p.render(value, width, height, count, alignmentFactors)
      }
      renderCounter={p.renderCounter}
      width={p.width}
      height={p.height}
      orientation={orientation}
      itemSpacing={p.type === 'bargauge' ? 8 : 3}
      autoGrid={p.type === 'stat' || p.type === 'gauge'}
      minVizWidth={p.options.minVizWidth ?? 75}
      minVizHeight={p.options.minVizHeight ?? 16}
      maxVizHeight={p.options.maxVizHeight}
    />
  );
}

export function CorePanel(p: CorePanelProps) {
  const { options: o, theme } = p;
  switch (p.type) {
    case 'timeseries':
      return (
        <TimeSeries
          frames={graphableFrames(p.frames)}
          structureRev={p.renderCounter}
          timeRange={p.timeRange}
          timeZone="utc"
          width={p.width}
          height={p.height}
          legend={{
            showLegend: true,
            displayMode: LegendDisplayMode.List,
            placement: 'bottom',
            calcs: [],
            ...o.legend,
          }}
          options={o}
        />
      );
    case 'stat':
      return (
        <Repeater
          {...p}
          render={(v, width, height, count, alignmentFactors) => (
            <BigValue
              value={v.display}
              sparkline={v.sparkline}
              count={count}
              alignmentFactors={alignmentFactors}
              colorMode={(o.colorMode ?? BigValueColorMode.Value) as BigValueColorMode}
              graphMode={(o.graphMode ?? BigValueGraphMode.Area) as BigValueGraphMode}
              justifyMode={(o.justifyMode ?? BigValueJustifyMode.Auto) as BigValueJustifyMode}
              textMode={(o.textMode ?? BigValueTextMode.Auto) as BigValueTextMode}
              disableWideLayout={o.wideLayout === false}
              text={o.text}
              width={width}
              height={height}
              theme={theme}
            />
          )}
        />
      );
    case 'bargauge':
      return (
        <Repeater
          {...p}
          render={(v, width, height, _count, alignmentFactors) => {
            const bar = (api: { openMenu?: React.MouseEventHandler<HTMLElement>; targetClassName?: string }) => (
              <BarGauge
                value={v.display}
                field={v.field}
                display={v.view?.getFieldDisplayProcessor(v.colIndex ?? 0)}
                orientation={(o.orientation ?? VizOrientation.Horizontal) as VizOrientation}
                displayMode={(o.displayMode ?? BarGaugeDisplayMode.Gradient) as BarGaugeDisplayMode}
                valueDisplayMode={o.valueMode}
                namePlacement={o.namePlacement}
                showUnfilled={o.showUnfilled ?? true}
                alignmentFactors={alignmentFactors}
                text={o.text}
                itemSpacing={8}
                isOverflow={false}
                width={width}
                height={height}
                theme={theme}
                onClick={api.openMenu}
                className={api.targetClassName}
              />
            );
            // As Grafana's bar gauge panel: a value with data links is a link (one) or opens their menu (several).
            return v.getLinks?.().length ? (
              <DataLinksContextMenu links={v.getLinks} style={{ flexGrow: 1 }}>
                {bar}
              </DataLinksContextMenu>
            ) : (
              bar({})
            );
          }}
        />
      );
    case 'gauge':
      return (
        <Repeater
          {...p}
          render={(v, width, height) => (
            <Gauge
              value={v.display}
              field={v.field}
              showThresholdLabels={o.showThresholdLabels ?? false}
              showThresholdMarkers={o.showThresholdMarkers ?? true}
              width={width}
              height={height}
              theme={theme}
            />
          )}
        />
      );
    case 'table': {
      // Grafana's table shows one frame (options.frameIndex) and a picker for the others.
      const index = Math.min(Number(o.frameIndex ?? 0), Math.max(0, p.frames.length - 1));
      const frame = p.frames[index];
      return frame ? (
        <TableNG
          data={frame}
          width={p.width}
          height={p.height}
          noHeader={o.showHeader === false}
          cellHeight={o.cellHeight}
          initialSortBy={o.sortBy}
          timeRange={p.timeRange}
          fieldConfig={p.fieldConfig}
        />
      ) : null;
    }
    default:
      return null;
  }
}
