import React, { useState } from 'react';
import { InlineFieldRow, InlineSwitch } from '@grafana/ui';
import { fieldSpec, intervalError } from '../../queryModel';
import { CommitInput, EditorField, fieldId, LABEL_WIDTH, NumberField, RadioField } from '../fields';
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
  const [intervalMessage, setIntervalMessage] = useState<string>();
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
        <EditorField spec={spec('interval')} labelWidth={LABEL_WIDTH} error={intervalMessage}>
          <CommitInput
            id={id('interval')}
            value={query.interval ?? ''}
            placeholder={spec('interval').placeholder}
            validate={intervalError}
            onError={setIntervalMessage}
            onCommit={(v) => onChange({ interval: v || undefined })}
          />
        </EditorField>
        <EditorField spec={spec('temperature')}>
          <InlineSwitch
            id={id('temperature')}
            value={Boolean(query.temperature)}
            onChange={(e) => onChange({ temperature: e.currentTarget.checked || undefined })}
          />
        </EditorField>
      </InlineFieldRow>
    </>
  );
}
