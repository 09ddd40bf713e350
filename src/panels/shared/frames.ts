import type { DataFrame, Field } from '@grafana/data';

/** Find a field by name (exact, then case-insensitive) in one frame. */
export function fieldByName(frame: DataFrame, name: string): Field | undefined {
  if (!name) {
    return undefined;
  }
  const exact = frame.fields.find((f) => f.name === name);
  if (exact) {
    return exact;
  }
  const lower = name.toLowerCase();
  return frame.fields.find((f) => f.name.toLowerCase() === lower || f.config?.displayName?.toLowerCase() === lower);
}

export function hasFields(frame: DataFrame, names: string[]): boolean {
  return names.every((n) => fieldByName(frame, n) !== undefined);
}

/** First frame that carries every one of `names`. */
export function findFrame(series: DataFrame[], names: string[]): DataFrame | undefined {
  return series.find((f) => hasFields(f, names));
}

/** Numeric view of a field: non-numbers become NaN so indices stay aligned with other fields. */
export function numbers(field: Field | undefined): number[] {
  if (!field) {
    return [];
  }
  return Array.from(field.values as ArrayLike<unknown>, (v) => toNumber(v));
}

export function toNumber(v: unknown): number {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'boolean') {
    return v ? 1 : 0;
  }
  if (typeof v === 'string' && v.trim() !== '') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === 'yes') {
      return 1;
    }
    if (t === 'false' || t === 'no') {
      return 0;
    }
    return Number(v);
  }
  return NaN;
}

/** Nullable number (for read-outs): null/undefined/NaN all mean "no value". */
export function nullableNumber(v: unknown): number | null {
  const n = v === null || v === undefined ? NaN : toNumber(v);
  return Number.isFinite(n) ? n : null;
}

/** Last non-null value of a field, as Grafana's "Last *" reducer does. */
export function lastValue(field: Field | undefined): unknown {
  if (!field) {
    return undefined;
  }
  const values = field.values as ArrayLike<unknown>;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) {
      return v;
    }
  }
  return undefined;
}

export function firstValue(frame: DataFrame | undefined, name: string): unknown {
  const f = frame ? fieldByName(frame, name) : undefined;
  return f && f.values.length > 0 ? f.values[0] : undefined;
}
