import React from 'react';
import { InlineField, InlineFieldRow, RadioButtonGroup } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { CATALOG_OF, type CatalogOf, type RlhfVariableQuery } from '../types';
import { NamePicker } from './NamePicker';
import { useCatalog } from './useCatalog';

interface Props {
  datasource: DataSource;
  query: RlhfVariableQuery | string | undefined;
  onChange: (query: RlhfVariableQuery, definition: string) => void;
}

const OF_OPTIONS = CATALOG_OF.map((value) => ({ value, label: value }));

/** Older dashboards may store the variable query as a plain string ("runs"). */
export function toVariableQuery(query: RlhfVariableQuery | string | undefined): RlhfVariableQuery {
  if (typeof query === 'string') {
    return { of: CATALOG_OF.includes(query as CatalogOf) ? (query as CatalogOf) : 'runs' };
  }
  return { of: query?.of ?? 'runs', ...(query?.run !== undefined ? { run: query.run } : {}) };
}

/** The definition Grafana shows in the variable list. */
export function definitionOf(q: RlhfVariableQuery): string {
  return q.of === 'metrics' && q.run ? `metrics of ${Array.isArray(q.run) ? q.run.join(',') : q.run}` : q.of;
}

/** Template variable values from the catalog: names of runs, metrics (optionally of some runs), models, ... */
export function VariableQueryEditor({ datasource, query, onChange }: Props) {
  const q = toVariableQuery(query);
  const { catalog, loading } = useCatalog(datasource, q.of === 'metrics' ? ['runs'] : []);
  const update = (next: RlhfVariableQuery) => onChange(next, definitionOf(next));

  return (
    <InlineFieldRow>
      <InlineField label="Names of" labelWidth={14}>
        <RadioButtonGroup<CatalogOf> options={OF_OPTIONS} value={q.of} onChange={(of) => update({ of })} />
      </InlineField>
      {q.of === 'metrics' && (
        <InlineField
          label="Run"
          labelWidth={8}
          tooltip="Only metrics of these runs (pattern or variable); empty for all"
        >
          <NamePicker
            id="rlhf-variable-run"
            value={q.run}
            names={catalog.runs}
            loading={loading}
            wildcard
            onChange={(run) => update({ ...q, run })}
          />
        </InlineField>
      )}
    </InlineFieldRow>
  );
}
