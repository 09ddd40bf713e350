import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { QUERY_FIELDS } from './queryModel';
import type { NamePattern, RlhfQuery } from './types';

/** Fields the service takes as a `*` pattern or a list of names: multi-value variables become arrays. */
const LIST_FIELDS = new Set(['run', 'metric', 'model', 'feature', 'tags']);
/** Fields that may hold a variable ("$bins") but are numbers on the wire. */
const NUMBER_FIELDS = new Set<string>(
  Object.values(QUERY_FIELDS)
    .flat()
    .filter((f) => f.number)
    .map((f) => f.key)
);
/** Grafana's own keys and the identity of the target: never interpolated. */
const KEEP_FIELDS = new Set(['refId', 'datasource', 'key', 'hide', 'type', 'queryType', 'version']);

// Private-use characters cannot occur in names the service stores, so they can mark where a variable's
// values go while Grafana's replace() renders the rest of the string.
const MARK = '\uE000';
const TOKEN = new RegExp(`${MARK}(\\d+)${MARK}`);

/**
 * Expand one string into every name it denotes. Each multi-value (or All) variable multiplies the result:
 * "ppo-$size" with size = [8b, 70b] gives ["ppo-8b", "ppo-70b"]. A custom all value (e.g. `*`) is not passed to
 * format functions by Grafana, so it arrives as text and stays a wildcard pattern.
 */
export function expandNames(value: string, scopedVars: ScopedVars | undefined, srv: TemplateSrv): string[] {
  const lists: string[][] = [];
  const rendered = srv.replace(value, scopedVars, (v: string | string[]) => {
    lists.push((Array.isArray(v) ? v : [v]).map(String));
    return `${MARK}${lists.length - 1}${MARK}`;
  });
  const parts = rendered.split(TOKEN);
  let out = [''];
  parts.forEach((part, i) => {
    // split() with one capture group alternates literal text and captured list indices.
    const choices = i % 2 === 0 ? [part] : lists[Number(part)];
    out = out.flatMap((prefix) => choices.map((c) => prefix + c));
  });
  return out;
}

function unique(values: string[]): string[] {
  return Array.from(new Set(values));
}

function splitTags(values: string[]): string[] {
  return unique(values.flatMap((v) => v.split(',')).map((t) => t.trim())).filter(Boolean);
}

/** One name stays a string (patterns keep working); several become the list the service accepts. */
export function toPattern(names: string[]): NamePattern {
  return names.length === 1 ? names[0] : names;
}

/** Interpolate template variables in every string field of a target, keeping its shape for the service. */
export function interpolateQuery(query: RlhfQuery, scopedVars: ScopedVars | undefined, srv: TemplateSrv): RlhfQuery {
  const out: Record<string, unknown> = { ...query };
  for (const [key, value] of Object.entries(query)) {
    if (KEEP_FIELDS.has(key)) {
      continue;
    }
    if (typeof value === 'string') {
      if (LIST_FIELDS.has(key)) {
        const names = unique(expandNames(value, scopedVars, srv));
        // The service also reads tags as one comma-separated string; a list is unambiguous.
        out[key] = key === 'tags' ? splitTags(names) : toPattern(names);
      } else {
        // A single-valued field given a multi-value variable: `csv` keeps every value visible in the
        // service's error text instead of silently picking one.
        const text = srv.replace(value, scopedVars, 'csv');
        out[key] = NUMBER_FIELDS.has(key) && text.trim() !== '' && !isNaN(Number(text)) ? Number(text) : text;
      }
    } else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out[key] = unique(value.flatMap((v) => expandNames(v, scopedVars, srv))).filter(Boolean);
    }
  }
  return out as unknown as RlhfQuery;
}
