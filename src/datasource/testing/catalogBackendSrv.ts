import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { of } from 'rxjs';
import { frame } from '@rlhf-monitor/contract';
import type { Catalog } from '../catalogDefaults';
import type { Phase, RlhfQuery } from '../types';

/**
 * For editor tests in jsdom: Grafana's BackendSrv answering `POST .../api/v1/query` catalog targets with the given
 * names, in the service's own frame format (server/src/query/frames.ts). `requests` records what was sent.
 */
export function catalogBackendSrv(
  catalog: Catalog,
  /** Runs that have series of a phase (a catalog target with `phase`); others answer every run. */
  runsByPhase: Partial<Record<Phase, string[]>> = {},
  /** Tags of the events an `events` target answers. */
  eventTags: string[][] = [
    ['training', 'checkpoint'],
    ['deployment', 'incident'],
  ]
): BackendSrv & { requests: BackendSrvRequest[] } {
  const requests: BackendSrvRequest[] = [];
  const fetch = <T>(req: BackendSrvRequest) => {
    requests.push(req);
    const queries: RlhfQuery[] = req.data?.queries ?? [];
    const results = Object.fromEntries(
      queries.map((q) => {
        if (q.type === 'events') {
          return [
            q.refId,
            { frames: [frame('events', q.refId, [{ name: 'tags', type: 'other', values: eventTags }])] },
          ];
        }
        const byPhase = q.of === 'runs' && q.phase ? runsByPhase[q.phase] : undefined;
        const names = q.type === 'catalog' && q.of ? (byPhase ?? catalog[q.of] ?? []) : [];
        return [
          q.refId,
          { frames: [frame(q.of ?? 'catalog', q.refId, [{ name: 'value', type: 'string', values: names }])] },
        ];
      })
    );
    const response = { data: { results }, status: 200, ok: true, config: req } as unknown as FetchResponse<T>;
    return of(response);
  };
  const unused = () => {
    throw new Error('not used by the data source');
  };
  return {
    requests,
    fetch,
    chunked: unused,
    datasourceRequest: unused,
    request: unused,
    get: unused,
    post: unused,
    put: unused,
    patch: unused,
    delete: unused,
  };
}
