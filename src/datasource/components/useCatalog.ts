import { useEffect, useState } from 'react';
import type { Catalog } from '../catalogDefaults';
import type { DataSource } from '../datasource';
import type { CatalogOf, NamePattern, Phase } from '../types';

export interface CatalogState {
  catalog: Catalog;
  loading: boolean;
  error?: string;
}

const NONE: CatalogState = { catalog: {}, loading: false };

interface Loaded {
  key: string;
  catalog: Catalog;
  error?: string;
}

/**
 * Load the catalog kinds an editor needs; `run` narrows the metric names to those runs, `phase` the runs to those
 * with series of that phase.
 */
export function useCatalog(datasource: DataSource, kinds: CatalogOf[], run?: NamePattern, phase?: Phase): CatalogState {
  const key = JSON.stringify([datasource.uid, kinds, run ?? null, phase ?? null]);
  const [loaded, setLoaded] = useState<Loaded>();

  useEffect(() => {
    const [, wanted, runFilter, phaseFilter] = JSON.parse(key) as [
      string,
      CatalogOf[],
      NamePattern | null,
      Phase | null,
    ];
    if (wanted.length === 0) {
      return;
    }
    let live = true;
    const load = (of: CatalogOf) =>
      datasource.catalog(
        of,
        of === 'metrics' && runFilter ? runFilter : undefined,
        of === 'runs' && phaseFilter ? phaseFilter : undefined
      );
    Promise.all(wanted.map(load))
      .then((lists) => live && setLoaded({ key, catalog: Object.fromEntries(wanted.map((of, i) => [of, lists[i]])) }))
      .catch(
        (err: unknown) =>
          live && setLoaded({ key, catalog: {}, error: err instanceof Error ? err.message : String(err) })
      );
    return () => {
      live = false;
    };
  }, [datasource, key]);

  if (kinds.length === 0) {
    return NONE;
  }
  // Until the answer for the current kinds arrives, keep showing the previous names (no flicker).
  const current = loaded?.key === key;
  return { catalog: loaded?.catalog ?? {}, loading: !current, error: current ? loaded?.error : undefined };
}
