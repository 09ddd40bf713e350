import { globMatch } from './glob';
import type { NamePattern } from './types';

/** Normalise a name pattern: undefined, '' and '*' (or a list containing '*') all mean "everything". */
export function patternList(p: NamePattern): string[] | null {
  if (p === undefined) {
    return null;
  }
  const list = (Array.isArray(p) ? p : [p]).filter((s) => s !== '');
  if (list.length === 0 || list.includes('*')) {
    return null;
  }
  return list;
}

/** A `*`-wildcard name as an SQLite GLOB pattern (only `*` is special to our users). */
export function toGlob(pattern: string): string {
  return pattern.replace(/[[?]/g, (c) => `[${c}]`);
}

/** A `*`-wildcard name as a LIKE pattern with `\` escapes (PostgreSQL). */
export function toLike(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%');
}

/** In-memory match, for filtering already-loaded names (linear time, see glob.ts). */
export function matches(name: string, pattern: string): boolean {
  return globMatch(name, pattern);
}

/** Canonical JSON of a label map (sorted keys) so equal label sets share one series. */
export function labelKey(labels: Record<string, string>): string {
  const keys = Object.keys(labels).sort();
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, labels[k]])));
}

/** One series' identity as a map key: JSON, so no run, name or label value can run into the next field. */
export function seriesKey(run: string, name: string, phase: string, labels: string): string {
  return JSON.stringify([run, name, phase, labels]);
}
