// What the e2e test reads about a panel's data: enough to tell that data arrived, that it changed with a
// variable or the time range, and which runs and times it covers. Pure: frames in, summary out.
import type { DataFrame } from '@grafana/data';

export interface FramesSummary {
  frames: number;
  /** Total rows over all frames. */
  rows: number;
  /** `frameName.fieldName` (or refId) of every field, in order. */
  fields: string[];
  /** FNV-1a over names, labels and values: equal data, equal hash. */
  hash: string;
  /** Smallest and largest value of any time field (ms), when there is one. */
  minTime?: number;
  maxTime?: number;
  /** Distinct `run` labels and string values of fields named `run`. */
  runs: string[];
}

function fnv1a(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function frameRows(frame: DataFrame): number {
  return frame.fields.reduce((m, f) => Math.max(m, f.values?.length ?? 0), 0);
}

export function summarize(frames: DataFrame[]): FramesSummary {
  let h = 0x811c9dc5;
  let rows = 0;
  let minTime: number | undefined;
  let maxTime: number | undefined;
  const fields: string[] = [];
  const runs = new Set<string>();
  for (const frame of frames) {
    rows += frameRows(frame);
    h = fnv1a(`#${frame.name ?? ''}|${frame.refId ?? ''}`, h);
    for (const field of frame.fields) {
      fields.push(`${frame.name ?? frame.refId ?? ''}.${field.name}`);
      h = fnv1a(`${field.name}|${JSON.stringify(field.labels ?? {})}`, h);
      if (field.labels?.run) {
        runs.add(field.labels.run);
      }
      const values = Array.from(field.values ?? []);
      h = fnv1a(JSON.stringify(values), h);
      if (field.name === 'run') {
        values.filter((v): v is string => typeof v === 'string').forEach((v) => runs.add(v));
      }
      if (field.type === 'time') {
        for (const v of values) {
          const t = typeof v === 'number' ? v : Date.parse(String(v));
          if (Number.isFinite(t)) {
            minTime = minTime === undefined ? t : Math.min(minTime, t);
            maxTime = maxTime === undefined ? t : Math.max(maxTime, t);
          }
        }
      }
    }
  }
  return { frames: frames.length, rows, fields, hash: h.toString(16), minTime, maxTime, runs: [...runs].sort() };
}
