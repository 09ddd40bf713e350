import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { fieldSpec } from '../../queryModel';
import { DurationField, EditorField, fieldId, LABEL_WIDTH, NumberField, RadioField, SwitchField } from '../fields';
import { NamePicker } from '../NamePicker';
import { absentName, CatalogError, useFilledCatalog, type TypeEditorProps } from './common';

const BINNING_OPTIONS = [
  { value: 'uniform' as const, label: 'Equal width' },
  { value: 'quantile' as const, label: 'Equal mass' },
];
const spec = (key: Parameters<typeof fieldSpec>[1]) => fieldSpec('calibration', key);

/** Reliability of a model's confidences: model, bins and binning, an optional timeline and temperature fit. */
export function CalibrationEditor(props: TypeEditorProps) {
  const { query, onChange } = props;
  const { catalog, loading, error } = useFilledCatalog(props, ['models']);
  const id = (key: string) => fieldId(query.refId, key);
  return (
    <>
      <CatalogError error={error} />
      <InlineFieldRow>
        <EditorField
          spec={spec('model')}
          labelWidth={LABEL_WIDTH}
          error={loading ? undefined : absentName(query.model, catalog.models, 'the models with predictions')}
        >
          <NamePicker
            id={id('model')}
            value={query.model}
            names={catalog.models}
            loading={loading}
            wildcard
            placeholder={spec('model').placeholder}
            onChange={(model) => onChange({ model })}
          />
        </EditorField>
        <NumberField id={id('bins')} spec={spec('bins')} value={query.bins} onChange={(bins) => onChange({ bins })} />
        <RadioField
          spec={spec('binning')}
          options={BINNING_OPTIONS}
          value={query.binning ?? 'uniform'}
          onChange={(binning) => onChange({ binning })}
        />
      </InlineFieldRow>
      <InlineFieldRow>
        <DurationField
          id={id('interval')}
          spec={spec('interval')}
          labelWidth={LABEL_WIDTH}
          value={query.interval}
          onChange={(interval) => onChange({ interval })}
        />
        <SwitchField
          id={id('temperature')}
          spec={spec('temperature')}
          value={query.temperature}
          onChange={(temperature) => onChange({ temperature })}
        />
      </InlineFieldRow>
    </>
  );
}
