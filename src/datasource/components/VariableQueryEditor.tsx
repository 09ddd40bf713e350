import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { migrateVariableQuery } from '../migration';
import { applyPatch, sameQuery } from '../queryModel';
import type { RlhfOptions, RlhfQuery } from '../types';
import { CatalogEditor } from './editors/CatalogEditor';

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
  return (
    <Stack direction="column" gap={1}>
      <CatalogEditor query={query} datasource={datasource} onChange={change} />
    </Stack>
  );
}
