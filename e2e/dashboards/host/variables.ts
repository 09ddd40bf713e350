// Resolves a dashboard's template variables on load the way Grafana's variable adapters do: query variables
// ask the data source (metricFindQuery) and keep the saved value only if it is still an option, custom
// variables split their comma-separated query; `var-<name>` URL parameters win.
import type { DataSourceApi, TimeRange } from '@grafana/data';
import { ALL, type HostVariable } from './templateSrv';

/** Grafana's variable regex: "/pattern/flags"; a capture group (or group named `value`) picks the value. */
export function applyRegex(values: string[], regex: string): string[] {
  if (!regex) {
    return values;
  }
  const m = /^\/(.*)\/([gimsuy]*)$/.exec(regex);
  const re = m ? new RegExp(m[1], m[2].replace('g', '')) : new RegExp(regex);
  return values.flatMap((v) => {
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

export async function resolveVariables(
  list: Array<Record<string, any>>,
  ds: DataSourceApi,
  range: TimeRange,
  params: URLSearchParams
): Promise<{ variables: HostVariable[]; errors: string[] }> {
  const variables: HostVariable[] = [];
  const errors: string[] = [];
  for (const v of list) {
    let options: string[] = [];
    try {
      if (v.type === 'query') {
        if (v.datasource?.uid && v.datasource.uid !== ds.uid) {
          throw new Error(`query variable on data source ${v.datasource.uid}, which the host does not run`);
        }
        const found = await ds.metricFindQuery!(v.query, { range, variable: v as never, scopedVars: {} } as never);
        options = sortValues(
          applyRegex(
            found.map((f) => String(f.value ?? f.text)),
            v.regex ?? ''
          ),
          v.sort
        );
      } else if (v.type === 'custom' || v.type === 'interval') {
        options = splitCustom(String(v.query ?? ''));
      } else if (v.type === 'constant' || v.type === 'textbox') {
        options = [String(v.query ?? v.current?.value ?? '')];
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
