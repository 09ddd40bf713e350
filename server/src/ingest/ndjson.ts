import { ValidationError } from './ingest';

export interface ParsedBody {
  records: unknown[];
  /** 1-based source line of each record (NDJSON), or undefined for a JSON array (index + 1). */
  lines?: number[];
}

/** Parse an NDJSON body (blank lines skipped) or a JSON array into raw records, with 1-based line numbers in errors. */
export function parseBody(text: string, contentType: string | undefined): ParsedBody {
  const trimmed = text.trimStart();
  if (!contentType?.includes('ndjson') && trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new ValidationError(`body is not valid JSON: ${(e as Error).message}; send a JSON array or NDJSON`);
    }
    if (!Array.isArray(parsed)) {
      throw new ValidationError('expected a JSON array of records or NDJSON (one record per line)');
    }
    return { records: parsed };
  }
  const out: unknown[] = [];
  const lineNumbers: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') {
      continue;
    }
    try {
      out.push(JSON.parse(line));
      lineNumbers.push(i + 1);
    } catch {
      throw new ValidationError(`line ${i + 1}: not valid JSON; each NDJSON line must be one JSON object`, i + 1);
    }
  }
  return { records: out, lines: lineNumbers };
}
