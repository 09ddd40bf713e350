import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { fieldSpec } from '../../queryModel';
import { EditorField, fieldId, LABEL_WIDTH, PhaseField, RadioField } from '../fields';
import { NamePicker } from '../NamePicker';
import { absentName, CatalogError, capitalised, useFilledCatalog, type TypeEditorProps } from './common';

const X_OPTIONS = capitalised(['time', 'step'] as const);
const spec = (key: Parameters<typeof fieldSpec>[1]) => fieldSpec('timeseries', key);

/** Metric names follow the chosen run, unless it is a variable or the wildcard for every run. */
function runFilter(run: TypeEditorProps['query']['run']) {
  return run && run !== '*' && !String(run).includes('$') ? run : undefined;
}

/** Curves of runs: run and metric (names, patterns or variables), phase and x axis. */
export function TimeseriesEditor(props: TypeEditorProps) {
  const { query, onChange } = props;
  const run = runFilter(query.run);
  const { catalog, loading, error } = useFilledCatalog(props, ['runs', 'metrics'], { run });
  const id = (key: string) => fieldId(query.refId, key);
  const where = run ? `the metrics of ${Array.isArray(run) ? run.join(', ') : run}` : 'any run';
  return (
    <>
      <CatalogError error={error} />
      <InlineFieldRow>
        <EditorField spec={spec('run')} labelWidth={LABEL_WIDTH}>
          <NamePicker
            id={id('run')}
            value={query.run}
            names={catalog.runs}
            loading={loading}
            wildcard
            placeholder={spec('run').placeholder}
            onChange={(v) => onChange({ run: v })}
          />
        </EditorField>
        <EditorField
          spec={spec('metric')}
          error={loading ? undefined : absentName(query.metric, catalog.metrics, where)}
        >
          <NamePicker
            id={id('metric')}
            value={query.metric}
            names={catalog.metrics}
            loading={loading}
            wildcard
            width={40}
            placeholder={spec('metric').placeholder}
            onChange={(v) => onChange({ metric: v })}
          />
        </EditorField>
      </InlineFieldRow>
      <InlineFieldRow>
        <PhaseField
          id={id('phase')}
          spec={spec('phase')}
          labelWidth={LABEL_WIDTH}
          value={query.phase}
          onChange={(phase) => onChange({ phase })}
        />
        <RadioField spec={spec('x')} options={X_OPTIONS} value={query.x ?? 'time'} onChange={(x) => onChange({ x })} />
      </InlineFieldRow>
    </>
  );
}
