import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { migrateVariableQuery } from '../migration';
import { applyPatch, sameQuery } from '../queryModel';
import type { RlhfOptions, RlhfQuery } from '../types';
import { CatalogEditor } from './editors/CatalogEditor';
import { QUERY_EDITORS } from './editors/registry';

type Props = QueryEditorProps<DataSource, RlhfQuery, RlhfOptions, RlhfQuery>;

/** Template variable values from the catalog: names of runs, metrics (optionally of some runs), models, ... */
export function VariableQueryEditor({ datasource, query: saved, onChange }: Props) {
  const query = migrateVariableQuery(saved);
  const change = (patch: Partial<RlhfQuery>) => {
    const next = applyPatch(query, patch);
    if (!sameQuery(next, query) || query !== saved) {
      onChange(next);
    }
  };
  // A variable may take its values from any query type (e.g. events, with a regex on their text).
  const Editor = query.type === 'catalog' ? CatalogEditor : QUERY_EDITORS[query.type].Editor;
  return (
    <Stack direction="column" gap={1}>
      <Editor query={query} datasource={datasource} onChange={change} />
    </Stack>
  );
}
