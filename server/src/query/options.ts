// Target fields shared by the analytics query types. Grafana query editors may store numbers as strings
// ("10"), so numeric options accept both.
import { z } from 'zod';

/** An optional number within [min, max], given as a number or a numeric string. */
export function optionalNumber(min: number, max: number, int = false) {
  const num = int ? z.number().int() : z.number();
  return z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v),
    num.min(min).max(max).optional()
  );
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** '6h', '30m', '1d', '500ms', a number of milliseconds, or a numeric string of milliseconds -> ms; NaN if invalid. */
export function parseInterval(v: string | number): number {
  if (typeof v === 'number') {
    return v;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(v);
  if (!m) {
    return Number.NaN;
  }
  return Number(m[1]) * UNIT_MS[m[2] ?? 'ms'];
}

/** An optional time bucket: at least one second, at most a year. */
export const intervalField = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const ms = parseInterval(v);
    if (!(ms >= 1000 && ms <= 366 * 86_400_000)) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a duration such as "6h", "30m", "1d" or milliseconds (>= 1s), got ${JSON.stringify(v)}`,
      });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

/** A boolean that Grafana may store as "true"/"false". */
export const optionalBoolean = z.preprocess(
  (v) => (v === 'true' ? true : v === 'false' ? false : v),
  z.boolean().optional()
);
