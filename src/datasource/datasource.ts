import {
  DataSourceApi,
  LoadingState,
  type AnnotationQuery,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';
import { eventsToAnnotations } from './annotations';
import { classifyError } from './errors';
import { interpolateQuery } from './interpolate';
import { responseToFrames } from './response';
import {
  CATALOG_OF,
  DEFAULT_QUERY,
  type CatalogOf,
  type HealthBody,
  type QueryResponseBody,
  type RlhfOptions,
  type RlhfQuery,
  type RlhfVariableQuery,
} from './types';

/** The `path` of the proxy route in plugin.json: Grafana adds the service URL and the Bearer key behind it. */
export const ROUTE_PATH = 'api';

export class DataSource extends DataSourceApi<RlhfQuery, RlhfOptions> {
  /** `/api/datasources/proxy/uid/<uid>/api`: everything below it is forwarded to the service. */
  readonly baseUrl: string;
  readonly serviceUrl: string;

  constructor(instanceSettings: DataSourceInstanceSettings<RlhfOptions>) {
    super(instanceSettings);
    this.baseUrl = `${instanceSettings.url ?? ''}/${ROUTE_PATH}`;
    this.serviceUrl = instanceSettings.jsonData?.url ?? '';
    this.annotations = {
      getDefaultQuery: () => ({ type: 'events', tags: [] }),
      // Dashboards saved before this editor existed carry no target: default to all events.
      prepareAnnotation: (json: AnnotationQuery<RlhfQuery>) => ({
        ...json,
        target: { refId: 'Anno', type: 'events' as const, ...json.target },
      }),
      processEvents: (_anno, frames) => of(eventsToAnnotations(frames)),
    };
  }

  getDefaultQuery(_app: CoreApp): Partial<RlhfQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: RlhfQuery): boolean {
    return !query.hide;
  }

  getQueryDisplayText(query: RlhfQuery): string {
    const parts = Object.entries(query)
      .filter(([k, v]) => !['refId', 'type', 'datasource', 'key', 'hide'].includes(k) && v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('|') : String(v)}`);
    return [query.type, ...parts].join(' ');
  }

  interpolateVariablesInQueries(queries: RlhfQuery[], scopedVars: ScopedVars): RlhfQuery[] {
    return queries.map((q) => ({ ...this.interpolate(q, scopedVars), datasource: this.getRef() }));
  }

  private interpolate(query: RlhfQuery, scopedVars?: ScopedVars): RlhfQuery {
    return interpolateQuery(query, scopedVars, getTemplateSrv());
  }

  async query(request: DataQueryRequest<RlhfQuery>): Promise<DataQueryResponse> {
    const targets = request.targets
      .filter((t) => this.filterQuery(t))
      .map((t) => this.interpolate(t, request.scopedVars));
    if (targets.length === 0) {
      return { data: [] };
    }
    const body = {
      from: request.range.from.valueOf(),
      to: request.range.to.valueOf(),
      // The service accepts 2..100,000 points per series.
      ...(request.maxDataPoints
        ? { maxDataPoints: Math.min(100_000, Math.max(2, Math.round(request.maxDataPoints))) }
        : {}),
      queries: targets,
    };
    try {
      const reply = await this.request<QueryResponseBody>('POST', '/api/v1/query', body, request.requestId);
      if (reply === undefined) {
        return { data: [], state: LoadingState.Done }; // superseded by a newer request with the same id
      }
      const { data, errors } = responseToFrames(
        reply,
        targets.map((t) => t.refId)
      );
      return errors.length ? { data, errors, state: LoadingState.Error } : { data, state: LoadingState.Done };
    } catch (err) {
      const failure = classifyError(err);
      return { data: [], errors: [{ message: failure.message, status: failure.status }], state: LoadingState.Error };
    }
  }

  /** Names of one catalog kind, for the editors' pickers and template variables. */
  async catalog(of: CatalogOf, run?: RlhfQuery['run']): Promise<string[]> {
    try {
      return await this.fetchCatalog(of, run);
    } catch (err) {
      throw new Error(classifyError(err).message);
    }
  }

  private async fetchCatalog(of: CatalogOf, run?: RlhfQuery['run']): Promise<string[]> {
    const target: RlhfQuery = { refId: 'catalog', type: 'catalog', of, ...(run !== undefined ? { run } : {}) };
    const reply = await this.request<QueryResponseBody>('POST', '/api/v1/query', {
      from: 0,
      to: Date.now(),
      queries: [this.interpolate(target)],
    });
    const { data, errors } = responseToFrames(reply ?? {}, ['catalog']);
    if (errors.length) {
      throw new Error(errors[0].message);
    }
    const values = data[0]?.fields.find((f) => f.name === 'value')?.values ?? [];
    return Array.from(values as ArrayLike<unknown>, String);
  }

  async metricFindQuery(
    query: RlhfVariableQuery | string,
    options?: { scopedVars?: ScopedVars }
  ): Promise<MetricFindValue[]> {
    const q: RlhfVariableQuery = typeof query === 'string' ? { of: (query.trim() || 'runs') as CatalogOf } : query;
    if (!CATALOG_OF.includes(q.of)) {
      throw new Error(`Unknown catalog "${q.of}": expected one of ${CATALOG_OF.join(', ')}`);
    }
    const run =
      q.run !== undefined && q.run !== ''
        ? this.interpolate({ refId: 'v', type: 'catalog', run: q.run }, options?.scopedVars).run
        : undefined;
    const names = await this.catalog(q.of, run);
    return names.map((text) => ({ text, value: text }));
  }

  /** health (no key needed) tells reachable from unreachable; one authenticated call then tells the key. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.serviceUrl) {
      return { status: 'error', message: 'Set the URL of the RLHF metrics service, e.g. http://127.0.0.1:8400.' };
    }
    let health: HealthBody | undefined;
    try {
      health = await this.request<HealthBody>('GET', '/api/v1/health');
    } catch (err) {
      const f = classifyError(err);
      const message =
        f.kind === 'unreachable'
          ? `Unreachable: Grafana cannot connect to the RLHF metrics service at ${this.serviceUrl} (${f.status}). Check the URL and that the service is running.`
          : `Unreachable: ${this.serviceUrl} answered ${f.status ?? ''} on /api/v1/health (${f.message}); is this the RLHF metrics service?`;
      return { status: 'error', message };
    }
    if (health?.status !== 'ok') {
      return {
        status: 'error',
        message: `Unreachable: ${this.serviceUrl}/api/v1/health did not answer {"status":"ok"}; is this the RLHF metrics service?`,
      };
    }
    let runs: string[];
    try {
      runs = await this.fetchCatalog('runs');
    } catch (err) {
      const f = classifyError(err);
      if (f.kind === 'wrong-key') {
        return { status: 'error', message: `Wrong API key: ${f.message}` };
      }
      return { status: 'error', message: `The service is up but the query failed: ${f.message}` };
    }
    const version = typeof health.version === 'string' ? ` ${health.version}` : '';
    return {
      status: 'success',
      message: `OK: connected to the RLHF metrics service${version} at ${this.serviceUrl}; API key accepted; ${runs.length} run${runs.length === 1 ? '' : 's'}.`,
    };
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    data?: unknown,
    requestId?: string
  ): Promise<T | undefined> {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({
        url: `${this.baseUrl}${path}`,
        method,
        data,
        requestId,
        showErrorAlert: false,
        ...(data !== undefined ? { headers: { 'Content-Type': 'application/json' } } : {}),
      }),
      { defaultValue: undefined }
    );
    return response?.data;
  }
}
