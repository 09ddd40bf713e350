import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fresh temp SQLite path for one test file (removed by `cleanup`). */
export function tempDb(): { file: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rlhf-test-'));
  return { file: path.join(dir, 'rlhf.db'), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** POST JSON (or a raw string body) and return status + parsed JSON reply. */
export async function post(
  url: string,
  body: unknown,
  opts: { key?: string; contentType?: string } = {}
): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': opts.contentType ?? 'application/json',
      ...(opts.key ? { authorization: `Bearer ${opts.key}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

/** Values of a field by name in a frame of the query reply. */
export function fieldValues(frame: any, name: string): unknown[] {
  const i = frame.schema.fields.findIndex((f: { name: string }) => f.name === name);
  if (i < 0) {
    throw new Error(`frame ${frame.schema.name} has no field ${name}`);
  }
  return frame.data.values[i];
}

/** The error of one target: the request itself succeeded (200) and that refId answered `{error, status}`. */
export function targetError(r: { status: number; json: any }, refId: string): { error: string; status: number } {
  if (r.status !== 200) {
    throw new Error(`expected HTTP 200 with a per-target error, got ${r.status}: ${JSON.stringify(r.json)}`);
  }
  const result = r.json.results?.[refId];
  if (!result || typeof result.error !== 'string') {
    throw new Error(`expected an error under refId ${refId}, got ${JSON.stringify(result)}`);
  }
  return { error: result.error, status: result.status };
}
