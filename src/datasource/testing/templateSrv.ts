import {
  LoadingState,
  VariableHide,
  type CustomVariableModel,
  type ScopedVars,
  type TimeRange,
  type TypedVariableModel,
} from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

// A small implementation of Grafana's TemplateSrv interface with the semantics of Grafana's template_srv.ts that
// data sources depend on: `$var`, `${var}`, `${var:format}` and `[[var]]`; scoped variables first; multi-value
// variables; `$__all` expanding to every option's value, or to the variable's custom all value, which Grafana
// inserts without calling the format function.

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?:\.([^:^}]+))?(?::([^}]+))?\}/g;
const ALL = '$__all';

export interface VariableSpec {
  name: string;
  /** Current value: one string, a list (multi-value), or '$__all'. */
  current: string | string[];
  options?: string[];
  multi?: boolean;
  includeAll?: boolean;
  /** Custom all value, e.g. '*'. */
  allValue?: string;
}

export function customVariable(spec: VariableSpec): CustomVariableModel {
  const options = spec.options ?? (Array.isArray(spec.current) ? spec.current : [spec.current]);
  const value = spec.current;
  return {
    id: spec.name,
    name: spec.name,
    type: 'custom',
    query: options.join(','),
    rootStateKey: null,
    global: false,
    hide: VariableHide.dontHide,
    skipUrlSync: false,
    index: 0,
    state: LoadingState.Done,
    error: null,
    description: null,
    multi: spec.multi ?? Array.isArray(spec.current),
    includeAll: spec.includeAll ?? value === ALL,
    allValue: spec.allValue ?? null,
    current: { text: value, value, selected: true },
    options: [
      ...(spec.includeAll || value === ALL ? [{ text: 'All', value: ALL, selected: false }] : []),
      ...options.map((o) => ({ text: o, value: o, selected: false })),
    ],
  };
}

function isAll(value: unknown): boolean {
  return value === ALL || (Array.isArray(value) && value[0] === ALL);
}

function formatValue(value: string | string[], format: string | Function | undefined, variable: unknown): string {
  if (typeof format === 'function') {
    return format(value, variable, formatValue);
  }
  const list = Array.isArray(value) ? value : [value];
  switch (format ?? 'glob') {
    case 'csv':
      return list.join(',');
    case 'pipe':
      return list.join('|');
    case 'json':
      return JSON.stringify(value);
    case 'raw':
    case 'text':
      return list.join(', ');
    case 'glob':
    default:
      return Array.isArray(value) && value.length > 1 ? `{${value.join(',')}}` : list.join(',');
  }
}

export class SimpleTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: CustomVariableModel[] = []) {}

  getVariables(): TypedVariableModel[] {
    return this.variables;
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE.lastIndex = 0;
    return Array.from(target.matchAll(VARIABLE)).some((m) => this.find(m[1] ?? m[2] ?? m[4]) !== undefined);
  }

  updateTimeRange(_timeRange: TimeRange): void {}

  replace(target?: string, scopedVars?: ScopedVars, format?: string | Function): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, var1, var2, fmt2, var3, _fieldPath, fmt3) => {
      const name: string = var1 ?? var2 ?? var3;
      const fmt: string | Function | undefined = fmt2 ?? fmt3 ?? format;
      const scoped = scopedVars?.[name];
      if (scoped) {
        return formatValue(scoped.value as string | string[], fmt, undefined);
      }
      const variable = this.find(name);
      if (!variable) {
        return match;
      }
      let value = (variable.current as { value: string | string[] }).value;
      if (isAll(value)) {
        if (variable.allValue && fmt !== 'text' && fmt !== 'percentencode') {
          return this.replace(variable.allValue);
        }
        value = variable.options.filter((o) => o.value !== ALL).map((o) => String(o.value));
      }
      return formatValue(value, fmt, variable);
    });
  }

  private find(name: string): CustomVariableModel | undefined {
    return this.variables.find((v) => v.name === name);
  }
}
