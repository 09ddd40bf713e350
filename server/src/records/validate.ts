import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import {
  MAX_LABELS,
  MAX_NAME,
  MAX_TAGS,
  MAX_TEXT,
  PHASES,
  RECORD_KINDS,
  RECORD_SCHEMAS,
  type RlhfRecord,
} from '@rlhf-monitor/contract';

// Records are validated with JSON Schema compiled by Ajv: ingest is the hot path (hundreds of thousands of
// records per second), and Ajv's generated validators are an order of magnitude faster than interpreting.

/** What each field expects, in the words an error message should use. */
const EXPECTED: Record<string, string> = {
  value: 'a finite number',
  step: `an integer from 0 to ${Number.MAX_SAFE_INTEGER} (2^53 - 1)`,
  ts: 'an RFC 3339 time (e.g. "2026-01-02T03:04:05Z") or epoch milliseconds',
  phase: `one of ${PHASES.join(', ')}`,
  labels: 'an object of string values',
  confidence: 'a number in [0, 1]',
  correct: 'true/false or 0/1',
  tags: 'an array of strings',
  text: 'a string',
};
const EXPECTED_BY_KIND: Record<string, string> = {
  'annotation.label': 'a string or a finite number',
  'sample.value': 'a finite number or a category string',
};

const ajv = new Ajv({ allErrors: false, strict: false });
const validators: Record<string, ValidateFunction> = Object.fromEntries(
  Object.entries(RECORD_SCHEMAS).map(([kind, s]) => [kind, ajv.compile(s)])
);

function describe(kind: string, e: ErrorObject): { field: string; message: string } {
  if (e.keyword === 'required') {
    return { field: String(e.params.missingProperty), message: 'is required' };
  }
  const path = e.instancePath.slice(1).split('/');
  const field = path.join('.');
  const top = path[0];
  if (e.keyword === 'maxLength' && top !== 'text') {
    return { field, message: `must be at most ${MAX_NAME} characters` };
  }
  if (e.keyword === 'maxLength') {
    return { field, message: `must be at most ${MAX_TEXT} characters` };
  }
  if (e.keyword === 'minLength') {
    return { field, message: 'must not be empty' };
  }
  if (e.keyword === 'maxProperties') {
    return { field, message: `must have at most ${MAX_LABELS} labels` };
  }
  if (e.keyword === 'maxItems') {
    return { field, message: `must have at most ${MAX_TAGS} tags` };
  }
  const expected = EXPECTED_BY_KIND[`${kind}.${top}`] ?? (path.length > 1 ? 'a string' : EXPECTED[top]);
  return { field, message: `expected ${expected ?? 'a non-empty string'}` };
}

/** RFC 3339 date-time: full date, time, optional fraction, `Z` or a numeric offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds (a number, rounded to whole ms) or an RFC 3339 string naming a real instant; anything
 * else (`"foo 2020"`, `"2024-02-30"`, a date without a time) is undefined rather than guessed at.
 */
export function toMs(v: unknown): number | undefined {
  let ms: number;
  if (typeof v === 'number') {
    ms = v;
  } else {
    const m = typeof v === 'string' ? RFC3339.exec(v) : null;
    if (!m) {
      return undefined;
    }
    const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number);
    // Date.parse rolls 30 February into March: check that the fields name a real calendar day and time.
    const day = new Date(Date.UTC(y, mo - 1, d));
    if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
      return undefined;
    }
    ms = Date.parse(String(v).toUpperCase().replace(' ', 'T'));
  }
  return Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15 ? Math.round(ms) : undefined;
}

/** A string either store can hold: well-formed UTF-16 (no lone surrogate) and no NUL (PostgreSQL refuses both). */
export function storable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) {
      return false;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
        return false; // a low surrogate first, or a high one not followed by a low one
      }
      i++;
    }
  }
  return true;
}

/** The first field (dotted path) of a validated record holding a string no store can hold, if any. */
function unstorable(r: Record<string, unknown>): string | undefined {
  for (const [k, v] of Object.entries(r)) {
    if (typeof v === 'string' && !storable(v)) {
      return k;
    }
    if (typeof v === 'object' && v !== null) {
      for (const [k2, v2] of Object.entries(v)) {
        if (!storable(k2) || (typeof v2 === 'string' && !storable(v2))) {
          return `${k}.${k2}`;
        }
      }
    }
  }
  return undefined;
}

export type ValidationResult = { ok: true; record: RlhfRecord } | { ok: false; field: string; message: string };

/** Validate one wire record and normalise it (ts in ms, defaults filled). Unknown extra fields are ignored. */
export function validateRecord(raw: unknown, now: number): ValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, field: '(record)', message: 'expected a JSON object with a "kind" field' };
  }
  const r = raw as Record<string, any>;
  const validate = Object.hasOwn(validators, r.kind) ? validators[r.kind] : undefined;
  if (!validate) {
    return {
      ok: false,
      field: 'kind',
      message: `expected one of ${RECORD_KINDS.join(', ')}, got ${JSON.stringify(r.kind)}`,
    };
  }
  const valid: boolean = validate(r);
  if (!valid) {
    return { ok: false, ...describe(r.kind, validate.errors![0]) };
  }
  // JSON can carry 1e999 (Infinity); JSON Schema's "number" lets it through.
  for (const f of ['value', 'confidence', 'label'] as const) {
    if (typeof r[f] === 'number' && !Number.isFinite(r[f])) {
      return { ok: false, field: f, message: 'expected a finite number (NaN and Infinity are not allowed)' };
    }
  }
  const bad = unstorable(r);
  if (bad !== undefined) {
    return {
      ok: false,
      field: bad,
      message: 'must be valid Unicode without NUL characters (no "\\u0000", no lone surrogate such as "\\ud800")',
    };
  }
  const at = r.ts === undefined ? now : toMs(r.ts);
  if (at === undefined) {
    return { ok: false, field: 'ts', message: `expected ${EXPECTED.ts}` };
  }
  switch (r.kind as RlhfRecord['kind']) {
    case 'metric':
      return {
        ok: true,
        record: {
          kind: 'metric',
          run: r.run,
          name: r.name,
          value: r.value,
          step: r.step ?? null,
          ts: at,
          phase: r.phase ?? 'training',
          labels: r.labels ?? {},
        },
      };
    case 'annotation':
      return {
        ok: true,
        record: {
          kind: 'annotation',
          dataset: r.dataset,
          item: r.item,
          annotator: r.annotator,
          label: r.label,
          ts: at,
        },
      };
    case 'prediction':
      return {
        ok: true,
        record: {
          kind: 'prediction',
          model: r.model,
          confidence: r.confidence,
          correct: r.correct === true || r.correct === 1,
          item: r.item ?? null,
          ts: at,
        },
      };
    case 'sample':
      return { ok: true, record: { kind: 'sample', feature: r.feature, source: r.source, value: r.value, ts: at } };
    case 'event':
      return {
        ok: true,
        record: {
          kind: 'event',
          title: r.title,
          text: r.text ?? '',
          tags: r.tags ?? [],
          phase: r.phase ?? null,
          ts: at,
        },
      };
  }
}
