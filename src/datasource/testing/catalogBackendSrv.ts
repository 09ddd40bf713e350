import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { of } from 'rxjs';
import { frame } from '../../../server/src/query/frames';
import type { Catalog } from '../catalogDefaults';
import type { RlhfQuery } from '../types';

/**
 * For editor tests in jsdom: Grafana's BackendSrv answering `POST .../api/v1/query` catalog targets with the given
 * names, in the service's own frame format (server/src/query/frames.ts). `requests` records what was sent.
 */
export function catalogBackendSrv(catalog: Catalog): BackendSrv & { requests: BackendSrvRequest[] } {
  const requests: BackendSrvRequest[] = [];
  const fetch = <T>(req: BackendSrvRequest) => {
    requests.push(req);
    const queries: RlhfQuery[] = req.data?.queries ?? [];
    const results = Object.fromEntries(
      queries.map((q) => {
        const names = q.type === 'catalog' && q.of ? (catalog[q.of] ?? []) : [];
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
