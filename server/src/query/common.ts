import { z } from 'zod';

/** A run/metric/model name: one `*`-wildcard pattern or a list (multi-value template variables). */
export const namePattern = z.union([z.string().max(512), z.array(z.string().max(512)).max(1000)]);

/** Template variables that Grafana left uninterpolated ("$run") mean the dashboard is misconfigured. */
export function describePattern(p: string | string[] | undefined): string {
  return p === undefined ? '*' : Array.isArray(p) ? p.join(',') : p;
}
