// The dashboard's template variables as Grafana's TemplateSrv exposes them to data sources and panels
// (public/app/features/templating/template_srv.ts): `$var`, `${var}`, `${var:format}`, `[[var]]`, scoped vars
// first, multi-value and All (the custom all value is inserted as it is, without the format function).
import type { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

export const ALL = '$__all';
const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;

export interface HostVariable {
  name: string;
  label?: string;
  type: string;
  /** One value, a list (multi-value) or ALL. */
  current: string | string[];
  options: string[];
  multi: boolean;
  includeAll: boolean;
  allValue?: string | null;
  hide?: number;
}

type Format = string | ((value: string | string[], variable?: unknown, fallback?: unknown) => string) | undefined;

function regexEscape(v: string): string {
  return v.replace(/[\\^$*+?.()|[\]{}/]/g, '\\$&');
}

/** Grafana's formatRegistry for the formats data sources use. */
export function formatValue(value: string | string[], format: Format, variable?: unknown): string {
  if (typeof format === 'function') {
    return format(value, variable, formatValue);
  }
  const list = Array.isArray(value) ? value : [value];
  switch (format) {
    case 'csv':
      return list.join(',');
    case 'pipe':
      return list.join('|');
    case 'json':
      return JSON.stringify(value);
    case 'raw':
      return list.join(',');
    case 'text':
      return list.join(' + ');
    case 'regex':
      return list.length === 1 ? regexEscape(list[0]) : `(${list.map(regexEscape).join('|')})`;
    case 'doublequote':
      return list.map((v) => `"${v}"`).join(',');
    case 'singlequote':
      return list.map((v) => `'${v}'`).join(',');
    // What data links use for their href (VariableFormatID.UriEncode / PercentEncode).
    case 'uriencode':
      return list.map((v) => encodeURI(v)).join(',');
    case 'percentencode':
      return list.map((v) => encodeURIComponent(v)).join(',');
    case 'queryparam':
      return list.map((v) => `var-${encodeURIComponent(String(variable ?? ''))}=${encodeURIComponent(v)}`).join('&');
    case 'glob':
    default:
      return list.length > 1 ? `{${list.join(',')}}` : list.join(',');
  }
}

interface DisplayValue {
  text: string;
  numeric: number;
  prefix?: string;
  suffix?: string;
}

interface DataContext {
  frame: { name?: string; refId?: string; fields: Array<{ name: string; type?: string; values: ArrayLike<unknown> }> };
  field: {
    name: string;
    values?: ArrayLike<unknown>;
    labels?: Record<string, string>;
    state?: { displayName?: string | null } | null;
    display?: (v: unknown) => DisplayValue;
  };
  rowIndex?: number;
  /** A reduced value (stat, gauge, bar gauge) instead of a row. */
  calculatedValue?: DisplayValue;
}

const displayText = (d: DisplayValue) => `${d.prefix ?? ''}${d.text}${d.suffix ?? ''}`;

/**
 * Grafana's `__value` macro (features/templating/macroRegistry, dataMacros.ts): the clicked cell (`raw`, `numeric`,
 * `text`, the row's `time`) or the reduced value of a stat or gauge; undefined without a data context.
 */
function valueMacro(path: string | undefined, scopedVars: ScopedVars | undefined): unknown {
  const ctx = scopedVars?.__dataContext?.value as DataContext | undefined;
  if (!ctx) {
    return undefined;
  }
  if (ctx.calculatedValue) {
    const c = ctx.calculatedValue;
    return path === 'numeric' || path === 'raw' ? c.numeric : path === 'time' ? '' : displayText(c);
  }
  if (ctx.rowIndex === undefined) {
    return undefined;
  }
  if (path === 'time') {
    return ctx.frame.fields.find((f) => f.type === 'time')?.values[ctx.rowIndex];
  }
  const value = ctx.field.values?.[ctx.rowIndex];
  if (path === 'raw') {
    return value;
  }
  const shown = ctx.field.display?.(value) ?? { text: String(value ?? ''), numeric: Number(value) };
  return path === 'numeric' ? shown.numeric : displayText(shown);
}

/**
 * Grafana's data macros (features/templating/macroRegistry): `__field`, `__series` and `__data` read the field,
 * frame and row that a panel passes as the `__dataContext` scoped variable.
 */
function dataMacro(name: string, scopedVars: ScopedVars | undefined): unknown {
  const ctx = scopedVars?.__dataContext?.value as DataContext | undefined;
  if (!ctx) {
    return undefined;
  }
  if (name === '__field') {
    const f = ctx.field;
    return { name: f.name, labels: f.labels ?? {}, displayName: f.state?.displayName ?? f.name };
  }
  if (name === '__series') {
    return { name: ctx.frame.name ?? ctx.frame.refId ?? '' };
  }
  if (name === '__data') {
    const row = ctx.rowIndex;
    const fields = Object.fromEntries(
      ctx.frame.fields.map((f) => [f.name, row === undefined ? undefined : f.values[row]])
    );
    return { fields, name: ctx.frame.name, refId: ctx.frame.refId };
  }
  return undefined;
}

function valueAtPath(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

export class HostTemplateSrv implements TemplateSrv {
  private timeRange?: TimeRange;

  constructor(private variables: HostVariable[]) {}

  list(): HostVariable[] {
    return this.variables;
  }

  setValue(name: string, value: string | string[]): void {
    const v = this.variables.find((x) => x.name === name);
    if (!v) {
      throw new Error(
        `no variable "${name}" on this dashboard (have: ${this.variables.map((x) => x.name).join(', ')})`
      );
    }
    v.current = value;
  }

  getVariables(): TypedVariableModel[] {
    return this.variables.map(
      (v) =>
        ({
          id: v.name,
          name: v.name,
          label: v.label,
          type: v.type,
          multi: v.multi,
          includeAll: v.includeAll,
          allValue: v.allValue ?? null,
          current: { text: v.current, value: v.current, selected: true },
          options: v.options.map((o) => ({ text: o, value: o, selected: o === v.current })),
        }) as unknown as TypedVariableModel
    );
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.timeRange = timeRange;
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    return Array.from(target.matchAll(VARIABLE)).some((m) => this.lookup(m[1] || m[2] || m[4]) !== undefined);
  }

  private builtIn(name: string): string | undefined {
    // Data links keep the dashboard's range as Grafana writes it to the URL: relative stays relative.
    if (name === '__url_time_range' && this.timeRange) {
      const at = (t: TimeRange['raw']['from']) => (typeof t === 'string' ? t : String(t.valueOf()));
      return `from=${encodeURIComponent(at(this.timeRange.raw.from))}&to=${encodeURIComponent(at(this.timeRange.raw.to))}`;
    }
    if (name === '__from' && this.timeRange) {
      return String(this.timeRange.from.valueOf());
    }
    if (name === '__to' && this.timeRange) {
      return String(this.timeRange.to.valueOf());
    }
    if (name === '__timezone') {
      return 'utc';
    }
    return undefined;
  }

  private lookup(name: string): HostVariable | undefined {
    return this.variables.find((v) => v.name === name);
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, v1, v2, fmt2, v3, fieldPath: string | undefined, fmt3) => {
      const name: string = v1 || v2 || v3;
      const fmt: Format = fmt2 || fmt3 || format;
      const scoped = scopedVars?.[name];
      if (scoped) {
        // ${__field.labels.version}: a path into an object-valued scoped variable (panels pass __field, __series).
        const value = fieldPath ? valueAtPath(scoped.value, fieldPath) : scoped.value;
        return value === undefined || value === null ? '' : formatValue(String(value), fmt, name);
      }
      if (name === '__value') {
        const value = valueMacro(fieldPath, scopedVars);
        if (value !== undefined) {
          return value === null ? '' : formatValue(String(value), fmt, name);
        }
        return match;
      }
      const macro = dataMacro(name, scopedVars);
      if (macro !== undefined) {
        const value = fieldPath ? valueAtPath(macro, fieldPath) : macro;
        return value === undefined || value === null ? '' : formatValue(String(value), fmt, name);
      }
      const builtIn = this.builtIn(name);
      if (builtIn !== undefined) {
        return builtIn;
      }
      const variable = this.lookup(name);
      if (!variable) {
        return match;
      }
      const isAll = variable.current === ALL || (Array.isArray(variable.current) && variable.current[0] === ALL);
      if (isAll) {
        if (variable.allValue) {
          return variable.allValue;
        }
        return formatValue(variable.options, fmt, name);
      }
      return formatValue(variable.current, fmt, name);
    });
  }
}
