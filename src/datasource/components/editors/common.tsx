import React, { useEffect, useState } from 'react';
import type { TimeRange } from '@grafana/data';
import { Alert } from '@grafana/ui';
import { fillFromCatalog, type Catalog } from '../../catalogDefaults';
import type { DataSource } from '../../datasource';
import type { CatalogOf, NamePattern, Phase, RlhfQuery } from '../../types';
import { useCatalog, type CatalogState } from '../useCatalog';

/** What the editor shell hands each query type's editor. */
export interface TypeEditorProps {
  query: RlhfQuery;
  datasource: DataSource;
  range?: TimeRange;
  /** Apply these fields; the shell saves the query and runs it once if it changed and can run. */
  onChange: (patch: Partial<RlhfQuery>) => void;
}

/**
 * The catalog names an editor's pickers offer; once they have loaded, the fields a new query still lacks are
 * filled from them, so a new panel shows data at once.
 */
export function useFilledCatalog(
  { query, datasource, onChange }: TypeEditorProps,
  kinds: CatalogOf[],
  filter: { run?: NamePattern; phase?: Phase } = {}
): CatalogState {
  const state = useCatalog(datasource, kinds, filter.run, filter.phase);
  useEffect(() => {
    if (!state.loading) {
      const patch = fillFromCatalog(query, state.catalog);
      if (patch) {
        onChange(patch);
      }
    }
    // Only when the names arrive: filling must not fight the user's later edits.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.catalog, state.loading]);
  return state;
}

export function CatalogError({ error }: { error?: string }) {
  return error ? (
    <Alert title="Could not load names from the service" severity="warning">
      {error}
    </Alert>
  ) : null;
}

/** A concrete name (no pattern, list or variable) that the loaded names do not contain: the panel will be empty. */
export function absentName(
  value: NamePattern | undefined,
  names: Catalog[CatalogOf],
  where: string
): string | undefined {
  if (typeof value !== 'string' || value === '' || /[*$]/.test(value) || !names || names.includes(value)) {
    return undefined;
  }
  return `${value} is not in ${where}: the panel will be empty`;
}

export const capitalised = <T extends string>(values: readonly T[], labels: Partial<Record<T, string>> = {}) =>
  values.map((value) => ({ value, label: labels[value] ?? value[0].toUpperCase() + value.slice(1) }));

/** Tags of the newest events, offered by the tag pickers (any other tag can still be typed). */
export function useEventTags(datasource: DataSource): { tags?: string[]; loading: boolean } {
  const [state, setState] = useState<{ uid: string; tags: string[] }>();
  useEffect(() => {
    let live = true;
    datasource
      .eventTags()
      .catch(() => [] as string[]) // suggestions only: the catalog alert already tells a failing service
      .then((tags) => live && setState({ uid: datasource.uid, tags }));
    return () => {
      live = false;
    };
  }, [datasource]);
  const current = state?.uid === datasource.uid;
  return { tags: current ? state?.tags : undefined, loading: !current };
}
