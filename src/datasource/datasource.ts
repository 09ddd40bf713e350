import {
  DataSourceApi,
  LoadingState,
  type AnnotationQuery,
  type CoreApp,
  type DataQueryRequest,
  type DataQueryError,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  type ScopedVars,
  type TestDataSourceResponse,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';
import { eventsToAnnotations } from './annotations';
import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { classifyError } from './errors';
import { interpolateQuery } from './interpolate';
import { migrateQuery, QUERY_VERSION } from './migration';
import { invalidFields, missingRequired } from './queryModel';
import { responseToFrames } from './response';
import {
  DEFAULT_QUERY,
  type CatalogOf,
  type HealthBody,
  type Phase,
  type QueryResponseBody,
  type RlhfOptions,
  type RlhfQuery,
} from './types';
import { RlhfVariableSupport } from './variables';

/** Why a target cannot be run as it is, or undefined when it can. */
export function incompleteMessage(q: RlhfQuery): string | undefined {
  const missing = missingRequired(q);
  if (missing.length) {
    return `Set ${missing.join(', ')} to run this ${q.type} query`;
  }
  const invalid = invalidFields(q);
  return invalid.length ? `Fix ${invalid.join(', ')}: the value is out of range` : undefined;
}

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
    this.variables = new RlhfVariableSupport(this);
    this.annotations = {
      QueryEditor: AnnotationQueryEditor,
      getDefaultQuery: () => ({ type: 'events', tags: [], version: QUERY_VERSION }),
      // Dashboards saved before this editor existed carry no target: default to all events. Only events
      // become annotations, whatever type an old target names.
      prepareAnnotation: (json: AnnotationQuery<RlhfQuery>) => ({
        ...json,
        target: { ...migrateQuery({ refId: 'Anno', ...json.target, type: 'events' }) },
      }),
      processEvents: (_anno, frames) => of(eventsToAnnotations(frames)),
    };
  }

  getDefaultQuery(_app: CoreApp): Partial<RlhfQuery> {
    return { ...DEFAULT_QUERY, version: QUERY_VERSION };
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
    // A target that lacks a required field or holds a value out of range is answered here, at its panel,
    // instead of costing a request the service would refuse.
    const incomplete: DataQueryError[] = [];
    const targets: RlhfQuery[] = [];
    for (const saved of request.targets.filter((t) => this.filterQuery(t))) {
      const q = migrateQuery(saved);
      const problem = incompleteMessage(q);
      if (problem) {
        incomplete.push({ refId: q.refId, message: problem, status: 400 });
      } else {
        const { version: _version, ...target } = this.interpolate(q, request.scopedVars);
        targets.push(target);
      }
    }
    if (targets.length === 0) {
      return incomplete.length ? { data: [], errors: incomplete, state: LoadingState.Error } : { data: [] };
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
      const { data, errors: refused } = responseToFrames(
        reply,
        targets.map((t) => t.refId)
      );
      const errors = [...incomplete, ...refused];
      return errors.length ? { data, errors, state: LoadingState.Error } : { data, state: LoadingState.Done };
    } catch (err) {
      const failure = classifyError(err);
      return { data: [], errors: [{ message: failure.message, status: failure.status }], state: LoadingState.Error };
    }
  }

  /** Names of one catalog kind, for the editors' pickers and template variables. */
  async catalog(of: CatalogOf, run?: RlhfQuery['run'], phase?: Phase): Promise<string[]> {
    try {
      return await this.fetchCatalog(of, run, phase);
    } catch (err) {
      throw new Error(classifyError(err).message);
    }
  }

  private async fetchCatalog(of: CatalogOf, run?: RlhfQuery['run'], phase?: Phase): Promise<string[]> {
    const target: RlhfQuery = {
      refId: 'catalog',
      type: 'catalog',
      of,
      ...(run !== undefined ? { run } : {}),
      ...(phase !== undefined ? { phase } : {}),
    };
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

  /** Distinct tags of the events in a time range (newest 1000 events), for the tag pickers' suggestions. */
  async eventTags(range?: { from: number; to: number }): Promise<string[]> {
    const reply = await this.request<QueryResponseBody>('POST', '/api/v1/query', {
      from: range?.from ?? 0,
      to: range?.to ?? Date.now(),
      queries: [{ refId: 'tags', type: 'events', limit: 1000 }],
    });
    const { data } = responseToFrames(reply ?? {}, ['tags']);
    const values = data[0]?.fields.find((f) => f.name === 'tags')?.values ?? [];
    const tags = new Set<string>();
    for (const row of Array.from(values as ArrayLike<unknown>)) {
      (Array.isArray(row) ? row : String(row ?? '').split(',')).forEach((t) => t && tags.add(String(t).trim()));
    }
    return [...tags].filter(Boolean).sort();
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
