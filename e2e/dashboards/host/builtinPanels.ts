// What Grafana's core visualisations would make of the data, checked with @grafana/data's own code where it
// lives there: a stat/gauge/bar gauge reduces the frames with its reduceOptions (getFieldDisplayValues, the
// function those panels call), and the graph panels refuse data without the fields they need, with Grafana's
// own messages. A wrong field name in a dashboard shows up here as "No data", as it would in Grafana.
import {
  applyFieldOverrides,
  type DataFrame,
  type FieldConfigSource,
  type FieldDisplay,
  FieldType,
  getFieldDisplayName,
  getFieldDisplayValues,
  type GrafanaTheme2,
  type ReduceDataOptions,
  type ScopedVars,
} from '@grafana/data';

export const REDUCING_PANELS = new Set(['stat', 'gauge', 'bargauge']);

/** The field config defaults applied to every field (Grafana's applyFieldOverrides, minus overrides). */
export function withDefaults(frames: DataFrame[], fieldConfig: FieldConfigSource): DataFrame[] {
  const { custom: _custom, ...defaults } = fieldConfig.defaults ?? {};
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((f) => ({ ...f, config: { ...defaults, ...f.config }, display: undefined })),
  }));
}

export interface ReducedValues {
  values: FieldDisplay[];
  /** Grafana would show its "No data" (or the panel's noValue text) instead of a value. */
  noData: boolean;
}

export function reduceForPanel(
  frames: DataFrame[],
  options: Record<string, unknown> | undefined,
  fieldConfig: FieldConfigSource,
  theme: GrafanaTheme2,
  replaceVariables: (s: string, scopedVars?: ScopedVars) => string
): ReducedValues {
  const saved = (options?.reduceOptions ?? {}) as Partial<ReduceDataOptions>;
  // The stat panel's defaults: last non-null value of every numeric field.
  const reduceOptions: ReduceDataOptions = { values: false, ...saved, calcs: saved.calcs ?? ['lastNotNull'] };
  // applyFieldOverrides (with no core option registry) adds what the panels' data gets in Grafana: display
  // processors and each field's __dataContext scoped variable, which ${__field.labels.x} titles read.
  const data = applyFieldOverrides({
    data: withDefaults(frames, fieldConfig),
    fieldConfig: { defaults: {}, overrides: [] },
    replaceVariables: (s: string, scopedVars?: ScopedVars) => replaceVariables(s, scopedVars),
    theme,
    timeZone: 'utc',
  });
  const values = getFieldDisplayValues({
    data,
    reduceOptions,
    fieldConfig,
    replaceVariables: (s: string, scopedVars?: ScopedVars) => replaceVariables(s, scopedVars),
    theme,
    timeZone: 'utc',
  });
  // createNoValuesFieldDisplay: the one placeholder value, named "No data", with no column behind it.
  const noData =
    values.length === 0 || (values.length === 1 && values[0].name === 'No data' && values[0].colIndex === undefined);
  return { values, noData };
}

function hasField(frames: DataFrame[], pred: (t: FieldType) => boolean): boolean {
  return frames.some((f) => f.fields.some((x) => pred(x.type)));
}

/** The names Grafana matches field options against (frame name and labels join in when there are many). */
export function displayNames(frames: DataFrame[]): string[] {
  return frames.flatMap((frame) => frame.fields.map((f) => getFieldDisplayName(f, frame, frames)));
}

/** Grafana's message when a graph panel cannot draw the data, or undefined when it can. */
export function graphProblem(type: string, frames: DataFrame[]): string | undefined {
  const isTime = (t: FieldType) => t === FieldType.time;
  const isNumber = (t: FieldType) => t === FieldType.number;
  switch (type) {
    case 'timeseries':
    case 'trend':
      if (!hasField(frames, isTime) && type === 'timeseries') {
        return 'Data does not have a time field';
      }
      return hasField(frames, isNumber) ? undefined : 'No numeric fields found';
    case 'state-timeline':
    case 'status-history':
      return hasField(frames, isTime) ? undefined : 'Data does not have a time field';
    case 'heatmap':
      return hasField(frames, isNumber) ? undefined : 'No numeric fields found';
    case 'barchart':
      if (!hasField(frames, isNumber)) {
        return 'No numeric fields found';
      }
      return hasField(frames, (t) => t === FieldType.string || t === FieldType.time || t === FieldType.number)
        ? undefined
        : 'Bar charts requires a string or time field';
    default:
      return undefined;
  }
}
