import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { fieldSpec } from '../../queryModel';
import { EditorField, fieldId, LABEL_WIDTH, RadioField } from '../fields';
import { NamePicker } from '../NamePicker';
import { absentName, CatalogError, capitalised, useFilledCatalog, type TypeEditorProps } from './common';

const LEVEL_OPTIONS = capitalised(['nominal', 'ordinal', 'interval'] as const);
const spec = (key: Parameters<typeof fieldSpec>[1]) => fieldSpec('agreement', key);

/** Inter-annotator agreement of one dataset, with Krippendorff's alpha at a chosen level. */
export function AgreementEditor(props: TypeEditorProps) {
  const { query, onChange } = props;
  const { catalog, loading, error } = useFilledCatalog(props, ['datasets']);
  const id = (key: string) => fieldId(query.refId, key);
  return (
    <>
      <CatalogError error={error} />
      <InlineFieldRow>
        <EditorField
          spec={spec('dataset')}
          labelWidth={LABEL_WIDTH}
          error={loading ? undefined : absentName(query.dataset, catalog.datasets, 'the annotated datasets')}
        >
          <NamePicker
            id={id('dataset')}
            value={query.dataset}
            names={catalog.datasets}
            loading={loading}
            placeholder={spec('dataset').placeholder}
            onChange={(v) => onChange({ dataset: String(v) })}
          />
        </EditorField>
        <RadioField
          spec={spec('level')}
          options={LEVEL_OPTIONS}
          value={query.level ?? 'nominal'}
          onChange={(level) => onChange({ level })}
        />
      </InlineFieldRow>
    </>
  );
}
