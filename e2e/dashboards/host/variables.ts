// Resolves a dashboard's template variables on load the way Grafana's variable adapters do: query variables
// ask the data source (its CustomVariableSupport, or the legacy metricFindQuery) and keep the saved value only if it is still an option, custom
// variables split their comma-separated query; `var-<name>` URL parameters win.
import type {
  VariableSupportType,
  DataFrame,
  DataQueryResponse,
  DataSourceApi,
  ScopedVars,
  TimeRange,
} from '@grafana/data';
import { lastValueFrom, type Observable } from 'rxjs';
import { ALL, type HostVariable } from './templateSrv';

/**
 * Grafana's variable regex: "/pattern/flags"; a capture group (or group named `value`) picks the value. With the
 * `g` flag and several matches in one value, each match's first group becomes an option of its own (Grafana's
 * metricNamesToVariableValues), e.g. /(?<=hosts=(?:[^,\s]+,)*)([^,\s]+)/g over "hosts=node-0,node-1".
 */
export function applyRegex(values: string[], regex: string): string[] {
  if (!regex) {
    return values;
  }
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const flags = m ? m[2] : '';
  const re = m ? new RegExp(m[1], flags.replace('g', '')) : new RegExp(regex);
  return values.flatMap((v) => {
    if (flags.includes('g')) {
      const all = [...v.matchAll(new RegExp(re.source, flags))];
      if (all.length > 1 && all.some((x) => x.length > 1) && !all.some((x) => x.groups?.value)) {
        return all.map((x) => x[1]);
      }
    }
    const hit = re.exec(v);
    if (!hit) {
      return [];
    }
    return [hit.groups?.value ?? hit[1] ?? v];
  });
}

/** VariableSort: 1/2 alphabetical, 3/4 numerical, 5/6 case-insensitive alphabetical (asc/desc). */
export function sortValues(values: string[], sort: number | undefined): string[] {
  const out = [...values];
  if (!sort) {
    return out;
  }
  const numeric = sort === 3 || sort === 4;
  const ci = sort === 5 || sort === 6;
  out.sort((a, b) =>
    numeric
      ? parseFloat(a) - parseFloat(b)
      : ci
        ? a.toLowerCase().localeCompare(b.toLowerCase())
        : a < b
          ? -1
          : a > b
            ? 1
            : 0
  );
  return sort % 2 === 0 ? out.reverse() : out;
}

export function splitCustom(query: string): string[] {
  return query
    .split(/(?<!\\),/)
    .map((s) => s.replace(/\\,/g, ',').trim())
    .filter(Boolean)
    .map((s) => (/ : /.test(s) ? s.split(' : ')[1] : s));
}

/**
 * A query variable's values. With CustomVariableSupport Grafana runs the variable query as a target and takes the
 * `value` (or `text`, else the first) field of the frames it answers; an error of that target is the variable's.
 */
async function variableValues(
  ds: DataSourceApi,
  v: Record<string, any>,
  range: TimeRange,
  scopedVars: ScopedVars = {}
): Promise<string[]> {
  const support = ds.variables as
    { getType(): VariableSupportType; query?: (r: never) => Observable<DataQueryResponse> } | undefined;
  // VariableSupportType.Custom, compared as its value: a type-only import keeps @grafana/data's ESM build out of
  // the node test project.
  if (support?.getType() === ('custom' as VariableSupportType.Custom) && support.query) {
    const request = { targets: [{ refId: 'variable', ...(v.query ?? {}) }], range, scopedVars, app: 'dashboard' };
    const res = await lastValueFrom(support.query(request as never), {
      defaultValue: { data: [] } as DataQueryResponse,
    });
    if (res.errors?.length) {
      throw new Error(res.errors.map((e: { message?: string }) => e.message).join('; '));
    }
    return (res.data as DataFrame[]).flatMap((frame) => {
      const field =
        frame.fields.find((f) => f.name === 'value') ?? frame.fields.find((f) => f.name === 'text') ?? frame.fields[0];
      return field ? Array.from(field.values as ArrayLike<unknown>, String) : [];
    });
  }
  const found = await ds.metricFindQuery!(v.query, { range, variable: v as never, scopedVars } as never);
  return found.map((f) => String(f.value ?? f.text));
}

export async function resolveVariables(
  list: Array<Record<string, any>>,
  ds: DataSourceApi,
  range: TimeRange,
  params: URLSearchParams,
  /** Other data sources by uid (the host's Prometheus). */
  others: Record<string, DataSourceApi> = {}
): Promise<{ variables: HostVariable[]; errors: string[] }> {
  const variables: HostVariable[] = [];
  const errors: string[] = [];
  for (const v of list) {
    let options: string[] = [];
    try {
      if (v.type === 'query') {
        const vds = (v.datasource?.uid && others[v.datasource.uid]) || ds;
        if (v.datasource?.uid && v.datasource.uid !== vds.uid) {
          throw new Error(`query variable on data source ${v.datasource.uid}, which the host does not run`);
        }
        // Variables above this one are resolved already (Grafana resolves in dependency order): a query on $run
        // sees the run's current value.
        const earlier: ScopedVars = Object.fromEntries(
          variables.map((x) => [x.name, { text: String(x.current), value: x.current }])
        );
        const found = [...new Set(applyRegex(await variableValues(vds, v, range, earlier), v.regex ?? ''))];
        options = sortValues(found, v.sort);
      } else if (v.type === 'custom' || v.type === 'interval') {
        options = splitCustom(String(v.query ?? ''));
      } else if (v.type === 'constant') {
        options = [String(v.query ?? v.current?.value ?? '')];
      } else if (v.type === 'textbox') {
        // Free text: a value from the URL (a drill-down link's var-<name>) is the one option, as in Grafana.
        options = [params.get(`var-${v.name}`) ?? String(v.query ?? v.current?.value ?? '')];
      } else {
        throw new Error(`variable type "${v.type}" is not supported by the host`);
      }
    } catch (e) {
      errors.push(`variable ${v.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const fromUrl = params.getAll(`var-${v.name}`);
    const saved = v.current?.value as string | string[] | undefined;
    let current: string | string[] = fromUrl.length ? (v.multi ? fromUrl : fromUrl[0]) : (saved ?? '');
    const values = Array.isArray(current) ? current : [current];
    if (!values.every((x) => x === ALL || options.includes(x))) {
      if (fromUrl.length) {
        errors.push(`variable ${v.name}: ${values.join(',')} is not one of ${options.join(', ')}`);
      }
      current = options[0] ?? '';
    }
    if (options.length === 0) {
      errors.push(`variable ${v.name}: no options`);
    }
    variables.push({
      name: v.name,
      label: v.label,
      type: v.type,
      current,
      options,
      multi: Boolean(v.multi),
      includeAll: Boolean(v.includeAll),
      allValue: v.allValue ?? null,
      hide: v.hide,
    });
  }
  return { variables, errors };
}
