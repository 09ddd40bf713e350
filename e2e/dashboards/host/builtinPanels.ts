// When Grafana's core visualisations refuse data: the graph panels need certain fields and say so with Grafana's
// own messages (a stat/gauge/bar gauge with nothing to reduce shows "No data": see CorePanel.reducedValues). A
// wrong field name in a dashboard shows up here as it would in Grafana.
import { type DataFrame, FieldType, getFieldDisplayName } from '@grafana/data';

export const REDUCING_PANELS = new Set(['stat', 'gauge', 'bargauge']);

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
