import { dataFrameFromJSON, type DataFrame, type DataFrameJSON, type DataQueryError } from '@grafana/data';
import type { QueryResponseBody } from './types';

/**
 * Turn the service reply `{"results": {"<refId>": {"frames": [...]}}}` into Grafana data frames, in the order of
 * the request's refIds. A per-query `error` (if the service reports one) becomes that query's error.
 */
export function responseToFrames(
  body: QueryResponseBody,
  refIds: string[]
): { data: DataFrame[]; errors: DataQueryError[] } {
  const data: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const refId of refIds) {
    const result = body.results?.[refId];
    if (!result) {
      continue;
    }
    if (result.error) {
      errors.push({ refId, message: result.error });
    }
    for (const json of result.frames ?? []) {
      const frame = dataFrameFromJSON(json as DataFrameJSON);
      frame.refId = refId;
      data.push(frame);
    }
  }
  return { data, errors };
}
