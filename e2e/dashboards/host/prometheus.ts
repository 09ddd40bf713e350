// The provisioned Prometheus data source as the host runs it: PromQL from the panel targets, interpolated the way
// Grafana's Prometheus data source does (multi-value and All variables as regex alternations, $__interval,
// $__rate_interval, $__range), sent through Grafana's data-source proxy path (/api/datasources/proxy/uid/<uid>/
// api/v1/query_range, POST form as `httpMethod: POST` asks), answered by the real Prometheus of the test stack,
// and turned into one frame per series with the legend as display name. Grafana's own Prometheus plugin is
// not an npm package, so this is the part of it the dashboards need.
import {
  DataSourceApi,
  type DataQuery,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceInstanceSettings,
  FieldType,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  rangeUtil,
  toDataFrame,
} from '@grafana/data';
import { getTemplateSrv } from '@grafana/runtime';

export interface PromQuery extends DataQuery {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
}

interface PromSeries {
  metric: Record<string, string>;
  values?: Array<[number, string]>;
  value?: [number, string];
}

function regexEscape(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

/** Grafana's Prometheus interpolation: several values become (a|b); one value is escaped for =~ matchers. */
export function promFormat(value: string | string[]): string {
  const list = Array.isArray(value) ? value : [value];
  return list.length === 1 ? regexEscape(list[0]) : `(${list.map(regexEscape).join('|')})`;
}

/** `{{label}}` legend templates; `__auto` / empty: the series' own name and labels. */
export function renderLegend(format: string | undefined, metric: Record<string, string>): string {
  if (!format || format === '__auto') {
    const { __name__, ...labels } = metric;
    const inner = Object.entries(labels)
      .map(([k, v]) => `${k}="${v}"`)
      .join(', ');
    return `${__name__ ?? ''}${inner ? `{${inner}}` : ''}` || 'Value';
  }
  return format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_m, name: string) => metric[name] ?? '').trim();
}

const seconds = (interval: string | undefined, fallback: number) =>
  interval ? rangeUtil.intervalToSeconds(interval) : fallback;

export class HostPrometheus extends DataSourceApi<PromQuery> {
  private readonly proxy: string;
  /** The scrape interval Grafana is told (jsonData.timeInterval): the smallest step and the rate base. */
  private readonly scrape: number;

  constructor(settings: DataSourceInstanceSettings) {
    super(settings);
    this.proxy = `/api/datasources/proxy/uid/${settings.uid}`;
    this.scrape = seconds((settings.jsonData as { timeInterval?: string }).timeInterval, 15);
  }

  /** Queries go as POST forms (`httpMethod: POST`); label values is a GET-only endpoint of Prometheus. */
  private async api<T>(path: string, params: Record<string, string>, method: 'GET' | 'POST' = 'POST'): Promise<T> {
    const form = new URLSearchParams(params).toString();
    const res =
      method === 'GET'
        ? await fetch(`${this.proxy}${path}${form ? `?${form}` : ''}`)
        : await fetch(`${this.proxy}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form,
          });
    const text = await res.text();
    let body: { status?: string; error?: string; data?: T; message?: string };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`Prometheus ${path}: ${res.status} ${text.slice(0, 200)}`);
    }
    if (!res.ok || body.status !== 'success') {
      throw new Error(`Prometheus ${path}: ${body.error ?? body.message ?? res.status}`);
    }
    return body.data as T;
  }

  private interpolate(expr: string, scopedVars: ScopedVars, intervalS: number, rangeS: number): string {
    const rate = Math.max(intervalS + this.scrape, 4 * this.scrape);
    const vars: ScopedVars = {
      ...scopedVars,
      __interval: { text: `${intervalS}s`, value: `${intervalS}s` },
      __rate_interval: { text: `${rate}s`, value: `${rate}s` },
      __range: { text: `${Math.round(rangeS)}s`, value: `${Math.round(rangeS)}s` },
    };
    return getTemplateSrv().replace(expr, vars, (v: string | string[]) => promFormat(v));
  }

  async query(request: DataQueryRequest<PromQuery>): Promise<DataQueryResponse> {
    const from = request.range.from.valueOf() / 1000;
    const to = request.range.to.valueOf() / 1000;
    const step = Math.max(this.scrape, Math.round((request.intervalMs ?? 15_000) / 1000));
    const targets = request.targets.filter((t) => !t.hide && t.expr);
    const data = await Promise.all(
      targets.map(async (t) => {
        const expr = this.interpolate(t.expr, request.scopedVars, step, to - from);
        const instant = t.instant === true && t.range !== true;
        const result = instant
          ? await this.api<{ result: PromSeries[] }>('/api/v1/query', { query: expr, time: String(to) })
          : await this.api<{ result: PromSeries[] }>('/api/v1/query_range', {
              query: expr,
              start: String(Math.floor(from / step) * step),
              end: String(to),
              step: String(step),
            });
        return result.result.map((s) => {
          const points = instant ? [s.value!] : (s.values ?? []);
          const name = renderLegend(t.legendFormat, s.metric);
          const { __name__, ...labels } = s.metric;
          return toDataFrame({
            name,
            refId: t.refId,
            fields: [
              { name: 'Time', type: FieldType.time, values: points.map((p) => p[0] * 1000) },
              {
                name: 'Value',
                type: FieldType.number,
                values: points.map((p) => Number(p[1])),
                labels: { ...(__name__ ? { __name__ } : {}), ...labels },
                config: { displayNameFromDS: name },
              },
            ],
          });
        });
      })
    );
    return { data: data.flat() };
  }

  /** `label_values(metric, label)` and `label_values(label)`, as Prometheus query variables use them. */
  async metricFindQuery(query: string | { query?: string }): Promise<MetricFindValue[]> {
    const q = typeof query === 'string' ? query : (query.query ?? '');
    const m = /^\s*label_values\(\s*(?:([^,]+?)\s*,\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(q);
    if (!m) {
      throw new Error(`the host's Prometheus answers label_values(metric, label) variables only, not ${q}`);
    }
    const params: Record<string, string> = m[1] ? { 'match[]': getTemplateSrv().replace(m[1]) } : {};
    const values = await this.api<string[]>(`/api/v1/label/${m[2]}/values`, params, 'GET');
    return values.map((v) => ({ text: v, value: v }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    await this.api('/api/v1/query', { query: '1+1' });
    return { status: 'success', message: 'Successfully queried the Prometheus API.' };
  }
}
