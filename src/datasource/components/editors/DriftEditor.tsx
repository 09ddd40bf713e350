import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { fieldSpec } from '../../queryModel';
import { DurationField, EditorField, fieldId, LABEL_WIDTH, NumberField } from '../fields';
import { NamePicker } from '../NamePicker';
import { absentName, CatalogError, useFilledCatalog, type TypeEditorProps } from './common';

const spec = (key: Parameters<typeof fieldSpec>[1]) => fieldSpec('drift', key);

/** Drift of features between two sample sources: feature(s), reference (and its window), current, histogram bins. */
export function DriftEditor(props: TypeEditorProps) {
  const { query, onChange } = props;
  const { catalog, loading, error } = useFilledCatalog(props, ['features', 'sources']);
  const id = (key: string) => fieldId(query.refId, key);
  const source = (key: 'reference' | 'current') => (
    <EditorField
      spec={spec(key)}
      labelWidth={key === 'reference' ? LABEL_WIDTH : 'auto'}
      error={loading ? undefined : absentName(query[key], catalog.sources, 'the sample sources')}
    >
      <NamePicker
        id={id(key)}
        value={query[key]}
        names={catalog.sources}
        loading={loading}
        width={24}
        placeholder={spec(key).placeholder}
        onChange={(v) => onChange({ [key]: String(v) })}
      />
    </EditorField>
  );
  return (
    <>
      <CatalogError error={error} />
      <InlineFieldRow>
        <EditorField
          spec={spec('feature')}
          labelWidth={LABEL_WIDTH}
          error={loading ? undefined : absentName(query.feature, catalog.features, 'the sampled features')}
        >
          <NamePicker
            id={id('feature')}
            value={query.feature}
            names={catalog.features}
            loading={loading}
            wildcard
            placeholder={spec('feature').placeholder}
            onChange={(feature) => onChange({ feature })}
          />
        </EditorField>
        <NumberField id={id('bins')} spec={spec('bins')} value={query.bins} onChange={(bins) => onChange({ bins })} />
      </InlineFieldRow>
      <InlineFieldRow>
        {source('reference')}
        {source('current')}
      </InlineFieldRow>
      <InlineFieldRow>
        <DurationField
          id={id('reference_window')}
          spec={spec('reference_window')}
          labelWidth={LABEL_WIDTH}
          value={query.reference_window}
          onChange={(reference_window) => onChange({ reference_window })}
        />
      </InlineFieldRow>
    </>
  );
}
