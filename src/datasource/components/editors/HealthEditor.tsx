import React, { useState } from 'react';
import { Collapse, InlineFieldRow } from '@grafana/ui';
import { fieldSpec, QUERY_FIELDS, type FieldKey } from '../../queryModel';
import { HEALTH_ROLES, type RlhfQuery } from '../../types';
import { EditorField, fieldId, LABEL_WIDTH, NumberField } from '../fields';
import { NamePicker } from '../NamePicker';
import { absentName, CatalogError, useFilledCatalog, type TypeEditorProps } from './common';
import { useCatalog } from '../useCatalog';

const spec = (key: FieldKey) => fieldSpec('health', key);
const MAIN: FieldKey[] = ['run', 'metrics', 'smoothing', 'max_steps'];
/** The signal thresholds: rarely changed, so folded away unless the query sets one. */
const THRESHOLDS = QUERY_FIELDS.health.filter((f) => f.number && !MAIN.includes(f.key));

/** Training-health signals of one run: its curves, smoothing, progress and the thresholds of each signal. */
export function HealthEditor(props: TypeEditorProps) {
  const { query, datasource, onChange } = props;
  // Only runs with training data have signals to judge.
  const { catalog, loading, error } = useFilledCatalog(props, ['runs'], { phase: 'training' });
  const run = typeof query.run === 'string' && query.run && !query.run.includes('$') ? query.run : undefined;
  const metrics = useCatalog(datasource, run ? ['metrics'] : [], run);
  const [open, setOpen] = useState(() => THRESHOLDS.some((f) => query[f.key] !== undefined));
  const id = (key: string) => fieldId(query.refId, key);
  const curves = query.metrics === undefined ? [] : Array.isArray(query.metrics) ? query.metrics : [query.metrics];
  const number = (key: FieldKey, labelWidth?: number) => (
    <NumberField
      key={key}
      id={id(key)}
      spec={spec(key)}
      labelWidth={labelWidth}
      value={query[key] as number | undefined}
      onChange={(v) => onChange({ [key]: v } as Partial<RlhfQuery>)}
    />
  );
  return (
    <>
      <CatalogError error={error} />
      <InlineFieldRow>
        <EditorField
          spec={spec('run')}
          labelWidth={LABEL_WIDTH}
          error={loading ? undefined : absentName(query.run, catalog.runs, 'the runs with training data')}
        >
          <NamePicker
            id={id('run')}
            value={query.run}
            names={catalog.runs}
            loading={loading}
            placeholder={spec('run').placeholder}
            onChange={(v) => onChange({ run: String(v) })}
          />
        </EditorField>
        <EditorField spec={spec('metrics')}>
          <NamePicker
            id={id('metrics')}
            value={curves}
            names={[...HEALTH_ROLES, ...(metrics.catalog.metrics ?? [])]}
            loading={metrics.loading}
            multi
            width={40}
            placeholder={spec('metrics').placeholder}
            onChange={(v) => onChange({ metrics: Array.isArray(v) ? v : [v] })}
          />
        </EditorField>
      </InlineFieldRow>
      <InlineFieldRow>
        {number('smoothing', LABEL_WIDTH)}
        {number('max_steps')}
      </InlineFieldRow>
      <Collapse label="Signal thresholds" isOpen={open} onToggle={() => setOpen(!open)}>
        <InlineFieldRow>
          {THRESHOLDS.map((f, i) => number(f.key, i % 3 === 0 ? LABEL_WIDTH : undefined))}
        </InlineFieldRow>
      </Collapse>
    </>
  );
}
