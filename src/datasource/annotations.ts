import type { AnnotationEvent, DataFrame, Field } from '@grafana/data';

/** Incidents stand out in the HUMAIN error colour; other events keep the annotation query's colour. */
const INCIDENT_COLOR = '#EF4444';

function field(frame: DataFrame, name: string): Field | undefined {
  return frame.fields.find((f) => f.name === name);
}

function toTags(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String).filter(Boolean);
  }
  if (typeof value === 'string' && value !== '') {
    // A string column (e.g. from a CSV) carries tags comma-separated.
    return value
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
  }
  return [];
}

function toTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
  }
  return undefined;
}

/** Map the `events` frames of the service (time, title, text, tags) to Grafana annotations. */
export function eventsToAnnotations(frames: DataFrame[]): AnnotationEvent[] {
  const out: AnnotationEvent[] = [];
  for (const frame of frames) {
    const time = field(frame, 'time');
    const title = field(frame, 'title');
    if (!time || !title) {
      continue; // not an events frame
    }
    const text = field(frame, 'text');
    const tags = field(frame, 'tags');
    for (let i = 0; i < frame.length; i++) {
      const t = toTime(time.values[i]);
      if (t === undefined) {
        continue;
      }
      const rowTags = toTags(tags?.values[i]);
      out.push({
        time: t,
        title: String(title.values[i] ?? ''),
        text: String(text?.values[i] ?? ''),
        tags: rowTags,
        ...(rowTags.includes('incident') ? { color: INCIDENT_COLOR } : {}),
      });
    }
  }
  return out;
}
