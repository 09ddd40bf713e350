// Saved targets carry the version of their layout; a target saved by an older editor (or written by hand, or
// by the dashboard generator, which writes none) is brought to the current layout before it is edited or run.
// Each step migrates from version i to i + 1; a target of the current version is returned as it is.
import { QUERY_FIELDS } from './queryModel';
import { CATALOG_OF, QUERY_TYPES, type CatalogOf, type QueryType, type RlhfQuery } from './types';

export const QUERY_VERSION = 1;

/** A target as found in a dashboard: any JSON under Grafana's refId. */
export type SavedQuery = { refId?: string } & Record<string, unknown>;

type Step = (q: Record<string, unknown>) => Record<string, unknown>;

const splitList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * 0 -> 1: the layout of the first editors, which stored what their inputs held. No type meant a time series (the
 * old default); numbers could be numeric strings ("10"), booleans "true"/"false", tags and health curves a
 * comma-separated string; an emptied optional field was saved as "".
 */
const v0ToV1: Step = (q) => {
  const type = (QUERY_TYPES.includes(q.type as QueryType) ? q.type : 'timeseries') as QueryType;
  const out: Record<string, unknown> = { ...q, type };
  for (const f of QUERY_FIELDS[type]) {
    const v = out[f.key];
    if (f.number && typeof v === 'string') {
      const n = Number(v);
      if (v.trim() === '') {
        delete out[f.key];
      } else if (Number.isFinite(n)) {
        out[f.key] = n;
      }
    } else if (!f.required && v === '') {
      delete out[f.key];
    }
  }
  if (typeof out.temperature === 'string') {
    out.temperature = out.temperature === 'true';
  }
  for (const key of ['tags', 'metrics'] as const) {
    if (typeof out[key] === 'string') {
      out[key] = splitList(out[key] as string);
    }
  }
  return out;
};

const STEPS: Step[] = [v0ToV1];

/** Bring a saved target to the current layout (QUERY_VERSION). Returns the same object when it already is. */
export function migrateQuery(saved: SavedQuery | RlhfQuery): RlhfQuery {
  const from = typeof saved.version === 'number' ? saved.version : 0;
  if (from >= QUERY_VERSION) {
    return saved as RlhfQuery;
  }
  let q: Record<string, unknown> = { ...saved };
  for (let v = from; v < QUERY_VERSION; v++) {
    q = STEPS[v](q);
  }
  return { ...q, refId: String(saved.refId ?? 'A'), version: QUERY_VERSION } as RlhfQuery;
}

/**
 * A template variable's query, in every form it has been saved in: the plain string of the first editor
 * ("runs"), its `{of, run}` object (a catalog target without type), or any target (e.g. events, whose `text`
 * values a regex picks from). Returns a current target; catalog unless the saved one names another type.
 */
export function migrateVariableQuery(saved: unknown): RlhfQuery {
  if (typeof saved === 'string') {
    const of = (CATALOG_OF.includes(saved.trim() as CatalogOf) ? saved.trim() : 'runs') as CatalogOf;
    return { refId: 'variable', type: 'catalog', of, version: QUERY_VERSION };
  }
  const q = (saved && typeof saved === 'object' ? saved : {}) as SavedQuery;
  if (q.type === 'events') {
    // Kept as it is: the values are in the events' `text` field, picked out by the variable's regex (the
    // Training dashboard's hosts come from `hosts=` in the run-start event's text).
    return migrateQuery({ refId: 'variable', ...q });
  }
  const migrated = migrateQuery({ refId: 'variable', ...q, type: 'catalog' });
  return CATALOG_OF.includes(migrated.of as CatalogOf) ? migrated : { ...migrated, of: 'runs' };
}
