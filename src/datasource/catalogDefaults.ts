import type { CatalogOf, RlhfQuery } from './types';

export type Catalog = Partial<Record<CatalogOf, string[]>>;

/** Curves worth showing first when a new timeseries panel has no metric yet (TRL PPO, then DPO names). */
const PREFERRED_METRICS = ['objective/rlhf_reward', 'rewards/margins', 'loss', 'objective/kl'];

function first(values: string[] | undefined, preferred: string[] = []): string | undefined {
  return preferred.find((p) => values?.includes(p)) ?? values?.[0];
}

const isEmpty = (v: unknown) => v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * Fill the fields a new query still lacks from the catalog, so a new panel shows data at once.
 * Returns only the fields to change, or undefined when nothing needs filling.
 */
export function fillFromCatalog(query: RlhfQuery, catalog: Catalog): Partial<RlhfQuery> | undefined {
  const patch: Partial<RlhfQuery> = {};
  const set = <K extends keyof RlhfQuery>(key: K, value: RlhfQuery[K] | undefined) => {
    if (isEmpty(query[key]) && value !== undefined) {
      patch[key] = value;
    }
  };
  switch (query.type) {
    case 'timeseries':
      set('run', '*');
      set('metric', first(catalog.metrics, PREFERRED_METRICS));
      break;
    case 'calibration':
      set('model', first(catalog.models));
      break;
    case 'drift': {
      const sources = catalog.sources;
      set('feature', first(catalog.features));
      set('reference', first(sources, ['training']));
      set(
        'current',
        first(
          sources?.filter((s) => s !== (query.reference || 'training')),
          ['production']
        )
      );
      break;
    }
    case 'agreement':
      set('dataset', first(catalog.datasets));
      break;
    case 'health':
      set('run', first(catalog.runs));
      break;
    default:
      break;
  }
  return Object.keys(patch).length ? patch : undefined;
}
