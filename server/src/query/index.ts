import { z } from 'zod';
import { agreement } from './agreement';
import { calibration } from './calibration';
import { catalog } from './catalog';
import { drift } from './drift';
import { QueryError } from './errors';
import { events } from './events';
import type { FrameJSON } from './frames';
import { health } from './health';
import { status } from './status';
import { timeseries } from './timeseries';
import type { QueryContext, QueryType } from './types';

/** Every query type the service answers. Add a type by writing one module and listing it here. */
export const QUERY_TYPES: Record<string, QueryType<z.ZodTypeAny>> = Object.fromEntries(
  [timeseries, events, catalog, status, calibration, drift, agreement, health].map((q) => [
    q.type,
    q as QueryType<z.ZodTypeAny>,
  ])
);

export { QueryError };

/** Validate a target against its type's schema and run it. Unknown extra fields (Grafana's own) are ignored. */
export async function runQuery(target: Record<string, unknown>, ctx: QueryContext): Promise<FrameJSON[]> {
  const qt = QUERY_TYPES[String(target.type)];
  if (!qt) {
    throw new QueryError(
      `query ${ctx.refId}: unknown type ${JSON.stringify(target.type)}; expected one of ${Object.keys(QUERY_TYPES).join(', ')}`
    );
  }
  const parsed = qt.schema.safeParse(target);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new QueryError(`query ${ctx.refId} (${qt.type}): field "${issue.path.join('.')}" ${issue.message}`);
  }
  return qt.run(parsed.data, ctx);
}
