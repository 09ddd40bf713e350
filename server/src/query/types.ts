import type { FrameJSON, ParsedTarget, QueryType } from '@rlhf-monitor/contract';
import type { StatusThresholds } from '../analytics/status';
import type { Store, TimeRange } from '../store/types';

export interface QueryContext {
  store: Store;
  range: TimeRange;
  maxDataPoints: number;
  refId: string;
  /** Wall-clock now in ms (injectable so the demo's fake clock and tests agree). */
  now: number;
  /** The phase-state rules of the service's configuration. */
  status: StatusThresholds;
  /** Changes with every stored batch (records accepted so far); lets a status computed moments ago be reused. */
  dataVersion?: number;
}

/**
 * One query type = one module: a function from the target (validated by the contract's schema for its
 * `type`) to frames. Register it in query/index.ts.
 */
export interface QueryModule<K extends QueryType> {
  type: K;
  run(target: ParsedTarget<K>, ctx: QueryContext): Promise<FrameJSON[]>;
}
