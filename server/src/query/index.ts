import { type FrameJSON, parseTarget, type QueryType } from '@rlhf-monitor/contract';
import { agreement } from './agreement';
import { calibration } from './calibration';
import { catalog } from './catalog';
import { drift } from './drift';
import { QueryError } from './errors';
import { events } from './events';
import { health } from './health';
import { status } from './status';
import { timeseries } from './timeseries';
import type { QueryContext, QueryModule } from './types';

/** Every query type of the contract, answered by one module each (a type without a module does not compile). */
export const QUERY_MODULES: { [K in QueryType]: QueryModule<K> } = {
  timeseries,
  events,
  catalog,
  status,
  calibration,
  drift,
  agreement,
  health,
};

export { QueryError };

/** Validate a target against its type's schema and run it. Unknown extra fields (Grafana's own) are ignored. */
export async function runQuery(target: unknown, ctx: QueryContext): Promise<FrameJSON[]> {
  const parsed = parseTarget(target);
  if (!parsed.ok) {
    throw new QueryError(`query ${ctx.refId} ${parsed.message}`);
  }
  const t = parsed.target;
  const frames = await (QUERY_MODULES[t.type] as QueryModule<typeof t.type>).run(t, ctx);
  const only = t.frames;
  return only ? frames.filter((f) => only.includes(f.schema.name ?? '')) : frames;
}
