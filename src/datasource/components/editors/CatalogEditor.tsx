import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { fieldSpec } from '../../queryModel';
import { CATALOG_OF } from '../../types';
import { EditorField, fieldId, LABEL_WIDTH, PhaseField, RadioField, SwitchField } from '../fields';
import { NamePicker } from '../NamePicker';
import { CatalogError, capitalised, type TypeEditorProps } from './common';
import { useCatalog } from '../useCatalog';

export const CATALOG_OPTIONS = capitalised(CATALOG_OF);
const spec = (key: Parameters<typeof fieldSpec>[1]) => fieldSpec('catalog', key);

/**
 * The names the service knows of one kind (runs, metrics of some runs, models, ...): a table of `value`; or, for
 * runs with `detail`, a table of runs (phases, newest step and time).
 */
export function CatalogEditor({ query, datasource, onChange }: TypeEditorProps) {
  const metrics = query.of === 'metrics';
  const { catalog, loading, error } = useCatalog(datasource, metrics ? ['runs'] : []);
  const id = (key: string) => fieldId(query.refId, key);
  return (
    <>
      <CatalogError error={error} />
      <InlineFieldRow>
        <RadioField
          spec={spec('of')}
          labelWidth={LABEL_WIDTH}
          options={CATALOG_OPTIONS}
          value={query.of ?? 'runs'}
          onChange={(of) =>
            onChange({
              of,
              ...(of === 'metrics' ? {} : { run: undefined }),
              ...(of === 'metrics' || of === 'runs' ? {} : { phase: undefined }),
              ...(of === 'runs' ? {} : { detail: undefined }),
            })
          }
        />
        {metrics && (
          <EditorField spec={spec('run')}>
            <NamePicker
              id={id('run')}
              value={query.run}
              names={catalog.runs}
              loading={loading}
              wildcard
              placeholder={spec('run').placeholder}
              onChange={(run) => onChange({ run })}
            />
          </EditorField>
        )}
      </InlineFieldRow>
      {(query.of ?? 'runs') === 'runs' || metrics ? (
        <InlineFieldRow>
          <PhaseField
            id={id('phase')}
            spec={spec('phase')}
            labelWidth={LABEL_WIDTH}
            value={query.phase}
            onChange={(phase) => onChange({ phase })}
          />
          {!metrics && (
            <SwitchField
              id={id('detail')}
              spec={spec('detail')}
              value={query.detail}
              onChange={(detail) => onChange({ detail })}
            />
          )}
        </InlineFieldRow>
      ) : null}
    </>
  );
}
