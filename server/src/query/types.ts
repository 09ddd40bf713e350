import type { z } from 'zod';
import type { Store, TimeRange } from '../store/types';
import type { FrameJSON } from './frames';

export interface QueryContext {
  store: Store;
  range: TimeRange;
  maxDataPoints: number;
  refId: string;
  /** Wall-clock now in ms (injectable so the demo's fake clock and tests agree). */
  now: number;
}

/**
 * One query type = one module: a zod schema for its fields (the panel target as Grafana stores it)
 * and a function from the parsed target to frames. Register it in query/index.ts.
 */
export interface QueryType<S extends z.ZodTypeAny> {
  type: string;
  schema: S;
  run(target: z.infer<S>, ctx: QueryContext): Promise<FrameJSON[]>;
}
