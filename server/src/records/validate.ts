import { z } from 'zod';
import { PHASES, RECORD_KINDS, type RlhfRecord } from './types';

// Limits keep one bad client from filling the store with megabyte names.
export const MAX_NAME = 512;
export const MAX_TEXT = 65_536;

const name = z
  .string({ invalid_type_error: 'expected a string' })
  .min(1, 'must not be empty')
  .max(MAX_NAME, `must be at most ${MAX_NAME} characters`);
const finite = z
  .number({ invalid_type_error: 'expected a finite number' })
  .finite('expected a finite number (NaN and Infinity are not allowed)');
const phase = z.enum(PHASES as [string, ...string[]], {
  errorMap: () => ({ message: `expected one of ${PHASES.join(', ')}` }),
});

/** ISO-8601 string or epoch milliseconds; absent means "now" (filled in by `validateRecord`). */
const ts = z
  .union([z.number(), z.string()], { invalid_type_error: 'expected an ISO-8601 string or epoch milliseconds' })
  .transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : Date.parse(v);
    if (!Number.isFinite(ms) || ms < 0 || ms > 8.64e15) {
      ctx.addIssue({ code: 'custom', message: 'expected an ISO-8601 string or epoch milliseconds' });
      return z.NEVER;
    }
    return Math.round(ms);
  })
  .optional();

const metric = z.object({
  kind: z.literal('metric'),
  run: name,
  name: name,
  value: finite,
  step: z
    .number({ invalid_type_error: 'expected an integer >= 0' })
    .int('expected an integer >= 0')
    .min(0, 'expected an integer >= 0')
    .optional(),
  ts,
  phase: phase.optional(),
  labels: z.record(name, z.string({ invalid_type_error: 'expected a string' }).max(MAX_NAME)).optional(),
});

const annotation = z.object({
  kind: z.literal('annotation'),
  dataset: name,
  item: name,
  annotator: name,
  label: z.union([name, finite], { errorMap: () => ({ message: 'expected a string or a finite number' }) }),
  ts,
});

const prediction = z.object({
  kind: z.literal('prediction'),
  model: name,
  confidence: finite.min(0, 'expected a number in [0, 1]').max(1, 'expected a number in [0, 1]'),
  correct: z.union([z.boolean(), z.literal(0), z.literal(1)], {
    errorMap: () => ({ message: 'expected true/false or 0/1' }),
  }),
  item: name.optional(),
  ts,
});

const sample = z.object({
  kind: z.literal('sample'),
  feature: name,
  source: name,
  value: z.union([finite, name], { errorMap: () => ({ message: 'expected a finite number or a category string' }) }),
  ts,
});

const event = z.object({
  kind: z.literal('event'),
  title: name,
  text: z.string({ invalid_type_error: 'expected a string' }).max(MAX_TEXT).optional(),
  tags: z.array(name, { invalid_type_error: 'expected an array of strings' }).max(64).optional(),
  phase: phase.optional(),
  ts,
});

const SCHEMAS = { metric, annotation, prediction, sample, event } as const;

export type ValidationResult = { ok: true; record: RlhfRecord } | { ok: false; field: string; message: string };

/** Validate one wire record and normalise it (ts in ms, defaults filled). */
export function validateRecord(raw: unknown, now: number): ValidationResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, field: '(record)', message: 'expected a JSON object with a "kind" field' };
  }
  const kind = (raw as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in SCHEMAS)) {
    return {
      ok: false,
      field: 'kind',
      message: `expected one of ${RECORD_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
    };
  }
  const parsed = SCHEMAS[kind as keyof typeof SCHEMAS].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(record)';
    const message = issue.code === 'invalid_type' && issue.received === 'undefined' ? 'is required' : issue.message;
    return { ok: false, field, message };
  }
  const r = parsed.data;
  const at = r.ts ?? now;
  switch (r.kind) {
    case 'metric':
      return {
        ok: true,
        record: { ...r, step: r.step ?? null, ts: at, phase: (r.phase ?? 'training') as never, labels: r.labels ?? {} },
      };
    case 'annotation':
      return { ok: true, record: { ...r, ts: at } };
    case 'prediction':
      return {
        ok: true,
        record: { ...r, correct: r.correct === true || r.correct === 1, item: r.item ?? null, ts: at },
      };
    case 'sample':
      return { ok: true, record: { ...r, ts: at } };
    case 'event':
      return {
        ok: true,
        record: { ...r, text: r.text ?? '', tags: r.tags ?? [], phase: (r.phase ?? null) as never, ts: at },
      };
  }
}
