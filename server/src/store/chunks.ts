/**
 * Metric points are stored per series in chunks of up to CHUNK points, sorted by time, as one float64 blob
 * (timestamps, steps with NaN for "none", values); the newest points wait in a per-series tail until a chunk
 * is full. Each chunk row also carries its first, last, minimum and maximum point, so a plot of a million
 * points can be drawn from chunk summaries without reading the blobs. Pure encoding helpers; the SQL lives in
 * sqlite.ts.
 */
import type { MetricPoint } from './types';

export const CHUNK = 1024;

export interface Columns {
  ts: number[];
  step: Array<number | null>;
  value: number[];
}

export interface ChunkSummary {
  n: number;
  tsMin: number;
  tsMax: number;
  /** Smallest and largest step (null when no point has one). */
  stepMin: number | null;
  stepMax: number | null;
  first: [number, number | null, number];
  last: [number, number | null, number];
  min: [number, number | null, number];
  max: [number, number | null, number];
}

export function encode(c: Columns, from: number, to: number): Buffer {
  const n = to - from;
  const a = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    a[i] = c.ts[from + i];
    a[n + i] = c.step[from + i] ?? NaN;
    a[2 * n + i] = c.value[from + i];
  }
  return Buffer.from(a.buffer);
}

export function decode(blob: Buffer, into: Columns = { ts: [], step: [], value: [] }): Columns {
  // SQLite blobs are not 8-byte aligned in general: copy when they are not.
  const bytes = blob.byteOffset % 8 === 0 ? blob : Buffer.from(blob);
  const a = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
  const n = a.length / 3;
  for (let i = 0; i < n; i++) {
    into.ts.push(a[i]);
    const s = a[n + i];
    into.step.push(Number.isNaN(s) ? null : s);
    into.value.push(a[2 * n + i]);
  }
  return into;
}

export function summarise(c: Columns, from: number, to: number): ChunkSummary {
  let lo = from;
  let hi = from;
  let stepMin: number | null = null;
  let stepMax: number | null = null;
  for (let i = from; i < to; i++) {
    const s = c.step[i];
    if (s !== null) {
      stepMin = stepMin === null || s < stepMin ? s : stepMin;
      stepMax = stepMax === null || s > stepMax ? s : stepMax;
    }
    if (c.value[i] < c.value[lo]) {
      lo = i;
    }
    if (c.value[i] > c.value[hi]) {
      hi = i;
    }
  }
  const point = (i: number): [number, number | null, number] => [c.ts[i], c.step[i], c.value[i]];
  return {
    n: to - from,
    tsMin: c.ts[from],
    tsMax: c.ts[to - 1],
    stepMin,
    stepMax,
    first: point(from),
    last: point(to - 1),
    min: point(lo),
    max: point(hi),
  };
}

/** Candidate plot points (summaries and raw points) in time order, each once: first and minimum can coincide. */
export function plotPoints(points: MetricPoint[]): MetricPoint[] {
  points.sort((a, b) => a.ts - b.ts || (a.step ?? -1) - (b.step ?? -1));
  return points.filter(
    (p, i) => i === 0 || p.ts !== points[i - 1].ts || p.step !== points[i - 1].step || p.value !== points[i - 1].value
  );
}

/** Sort columns by (ts, step) in place, only when they are out of order (the common case is appends). */
export function sortIfNeeded(c: Columns): void {
  let sorted = true;
  for (let i = 1; i < c.ts.length && sorted; i++) {
    sorted = c.ts[i] > c.ts[i - 1] || (c.ts[i] === c.ts[i - 1] && (c.step[i] ?? -1) >= (c.step[i - 1] ?? -1));
  }
  if (sorted) {
    return;
  }
  const order = c.ts.map((_, i) => i).sort((a, b) => c.ts[a] - c.ts[b] || (c.step[a] ?? -1) - (c.step[b] ?? -1));
  const [ts, step, value] = [order.map((i) => c.ts[i]), order.map((i) => c.step[i]), order.map((i) => c.value[i])];
  c.ts = ts;
  c.step = step;
  c.value = value;
}
