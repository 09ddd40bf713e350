import { dataFrameFromJSON, type DataFrame, type DataFrameJSON, type DataQueryError } from '@grafana/data';
import type { QueryResponseBody } from './types';

/**
 * Turn the service reply `{"results": {"<refId>": {"frames": [...]}}}` into Grafana data frames, in the order of
 * the request's refIds. A target the service refused answers `{"error": "...", "status": 400}` under its refId
 * (the shape of Grafana's backend data sources): that becomes the error of that target alone, shown on its panel,
 * while the other targets keep their frames.
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
      errors.push({ refId, message: result.error, ...(result.status !== undefined ? { status: result.status } : {}) });
    }
    for (const json of result.frames ?? []) {
      const frame = dataFrameFromJSON(json as DataFrameJSON);
      frame.refId = refId;
      data.push(frame);
    }
  }
  return { data, errors };
}
