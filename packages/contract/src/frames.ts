// Grafana data-frame JSON (the wire format of `POST /api/v1/query`).

export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

export interface FieldSpec {
  name: string;
  type: FieldType;
  values: unknown[];
  config?: Record<string, unknown>;
  labels?: Record<string, string>;
}

export interface FrameJSON {
  schema: {
    name?: string;
    refId?: string;
    meta?: Record<string, unknown>;
    fields: Array<{ name: string; type: FieldType; config?: Record<string, unknown>; labels?: Record<string, string> }>;
  };
  data: { values: unknown[][] };
}

export function frame(name: string, refId: string, fields: FieldSpec[], meta?: Record<string, unknown>): FrameJSON {
  return {
    schema: {
      name,
      refId,
      ...(meta ? { meta } : {}),
      fields: fields.map(({ name, type, config, labels }) => ({
        name,
        type,
        ...(config ? { config } : {}),
        ...(labels ? { labels } : {}),
      })),
    },
    data: { values: fields.map((f) => f.values) },
  };
}

/** A number field (optional display config and series labels). */
export function num(
  name: string,
  values: unknown[],
  config?: Record<string, unknown>,
  labels?: Record<string, string>
): FieldSpec {
  return { name, type: 'number', values, ...(config ? { config } : {}), ...(labels ? { labels } : {}) };
}

/** A string field. */
export function str(name: string, values: unknown[]): FieldSpec {
  return { name, type: 'string', values };
}
