import React, { useEffect, useState } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import {
  Alert,
  Combobox,
  InlineField,
  InlineFieldRow,
  Input,
  RadioButtonGroup,
  Stack,
  TagsInput,
  Text,
} from '@grafana/ui';
import { CATALOG_FOR, fillFromCatalog } from '../catalogDefaults';
import type { DataSource } from '../datasource';
import {
  CATALOG_OF,
  DEFAULT_QUERIES,
  PHASES,
  QUERY_TYPES,
  type CatalogOf,
  type Phase,
  type QueryType,
  type RlhfOptions,
  type RlhfQuery,
} from '../types';
import { NamePicker } from './NamePicker';
import { useCatalog } from './useCatalog';

type Props = QueryEditorProps<DataSource, RlhfQuery, RlhfOptions>;

const TYPE_LABELS: Record<QueryType, string> = {
  timeseries: 'Time series',
  calibration: 'Calibration',
  drift: 'Drift',
  agreement: 'Agreement',
  events: 'Events',
  catalog: 'Catalog',
  status: 'Status',
  health: 'Training health',
};

const TYPE_OPTIONS = QUERY_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] }));
const PHASE_OPTIONS = PHASES.map((value) => ({ value }));
const X_OPTIONS = [
  { value: 'time' as const, label: 'Time' },
  { value: 'step' as const, label: 'Step' },
];
const BINNING_OPTIONS = [
  { value: 'uniform' as const, label: 'Equal width' },
  { value: 'quantile' as const, label: 'Equal mass' },
];
const LEVEL_OPTIONS = [
  { value: 'nominal' as const, label: 'Nominal' },
  { value: 'ordinal' as const, label: 'Ordinal' },
  { value: 'interval' as const, label: 'Interval' },
];
const OF_OPTIONS = CATALOG_OF.map((value) => ({ value, label: value }));
const LABEL_WIDTH = 14;

/** A text/number field that commits on blur or Enter, so the query does not run on every keystroke. */
function CommitInput(props: {
  id: string;
  value: string;
  placeholder?: string;
  type?: 'text' | 'number';
  width?: number;
  onCommit: (value: string) => void;
}) {
  // undefined while the user is not editing: the field then shows the query's value.
  const [draft, setDraft] = useState<string>();
  const commit = () => {
    if (draft !== undefined && draft !== props.value) {
      props.onCommit(draft);
    }
    setDraft(undefined);
  };
  return (
    <Input
      id={props.id}
      type={props.type ?? 'text'}
      width={props.width ?? 16}
      value={draft ?? props.value}
      placeholder={props.placeholder}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

export function QueryEditor({ query, datasource, onChange, onRunQuery }: Props) {
  const type: QueryType = QUERY_TYPES.includes(query.type) ? query.type : 'timeseries';
  const id = (name: string) => `rlhf-${query.refId}-${name}`;
  // Metric names follow the chosen run, unless it is a variable or a wildcard for everything.
  const runFilter =
    type === 'timeseries' && query.run && query.run !== '*' && !String(query.run).includes('$') ? query.run : undefined;
  const { catalog, loading, error } = useCatalog(datasource, CATALOG_FOR[type], runFilter);

  const change = (patch: Partial<RlhfQuery>) => {
    onChange({ ...query, ...patch });
    onRunQuery();
  };

  // A new query (or a new type) has empty names: take them from the catalog once it has loaded.
  useEffect(() => {
    if (loading) {
      return;
    }
    const patch = fillFromCatalog({ ...query, type }, catalog);
    if (patch || query.type !== type) {
      change({ type, ...patch });
    }
    // Only when the catalog arrives; `change` is recreated on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalog, loading, type]);

  const changeType = (next: QueryType) => {
    // Keep Grafana's own keys; the previous type's fields do not apply to the new one.
    const { refId, datasource: ref, hide, key } = query as RlhfQuery & { key?: string };
    onChange({ refId, datasource: ref, hide, ...(key ? { key } : {}), ...DEFAULT_QUERIES[next] } as RlhfQuery);
    onRunQuery();
  };

  const names = (of: CatalogOf) => catalog[of];

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label="Query type" labelWidth={LABEL_WIDTH}>
          <RadioButtonGroup<QueryType> options={TYPE_OPTIONS} value={type} onChange={changeType} size="sm" />
        </InlineField>
      </InlineFieldRow>
      {error && (
        <Alert title="Could not load names from the service" severity="warning">
          {error}
        </Alert>
      )}

      {type === 'timeseries' && (
        <InlineFieldRow>
          <InlineField
            label="Run"
            labelWidth={LABEL_WIDTH}
            tooltip="A run name, a pattern with * wildcards, or a variable"
          >
            <NamePicker
              id={id('run')}
              value={query.run}
              names={names('runs')}
              loading={loading}
              wildcard
              onChange={(run) => change({ run })}
            />
          </InlineField>
          <InlineField label="Metric" labelWidth={10} tooltip="A metric name, a pattern such as loss/*, or a variable">
            <NamePicker
              id={id('metric')}
              value={query.metric}
              names={names('metrics')}
              loading={loading}
              wildcard
              width={40}
              onChange={(metric) => change({ metric })}
            />
          </InlineField>
          <InlineField label="Phase" labelWidth={8}>
            <Combobox<Phase>
              id={id('phase')}
              options={PHASE_OPTIONS}
              value={query.phase ?? null}
              placeholder="any"
              width={16}
              isClearable
              onChange={(o) => change({ phase: o?.value })}
            />
          </InlineField>
          <InlineField label="X axis" labelWidth={8}>
            <RadioButtonGroup options={X_OPTIONS} value={query.x ?? 'time'} onChange={(x) => change({ x })} size="sm" />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'calibration' && (
        <InlineFieldRow>
          <InlineField label="Model" labelWidth={LABEL_WIDTH}>
            <NamePicker
              id={id('model')}
              value={query.model}
              names={names('models')}
              loading={loading}
              onChange={(model) => change({ model })}
            />
          </InlineField>
          <InlineField label="Bins" labelWidth={8}>
            <CommitInput
              id={id('bins')}
              type="number"
              width={8}
              value={String(query.bins ?? DEFAULT_QUERIES.calibration.bins)}
              onCommit={(v) => change({ bins: Number(v) || undefined })}
            />
          </InlineField>
          <InlineField label="Binning" labelWidth={10}>
            <RadioButtonGroup
              options={BINNING_OPTIONS}
              value={query.binning ?? 'uniform'}
              onChange={(binning) => change({ binning })}
              size="sm"
            />
          </InlineField>
          <InlineField
            label="Interval"
            labelWidth={10}
            tooltip="Optional: one result per interval (e.g. 1d) instead of one for the whole range"
          >
            <CommitInput
              id={id('interval')}
              value={query.interval ?? ''}
              placeholder="whole range"
              onCommit={(v) => change({ interval: v || undefined })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'drift' && (
        <InlineFieldRow>
          <InlineField label="Feature" labelWidth={LABEL_WIDTH}>
            <NamePicker
              id={id('feature')}
              value={query.feature}
              names={names('features')}
              loading={loading}
              onChange={(feature) => change({ feature })}
            />
          </InlineField>
          <InlineField label="Reference" labelWidth={12}>
            <NamePicker
              id={id('reference')}
              value={query.reference}
              names={names('sources')}
              loading={loading}
              width={20}
              onChange={(v) => change({ reference: String(v) })}
            />
          </InlineField>
          <InlineField label="Current" labelWidth={10}>
            <NamePicker
              id={id('current')}
              value={query.current}
              names={names('sources')}
              loading={loading}
              width={20}
              onChange={(v) => change({ current: String(v) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'agreement' && (
        <InlineFieldRow>
          <InlineField label="Dataset" labelWidth={LABEL_WIDTH}>
            <NamePicker
              id={id('dataset')}
              value={query.dataset}
              names={names('datasets')}
              loading={loading}
              onChange={(v) => change({ dataset: String(v) })}
            />
          </InlineField>
          <InlineField
            label="Alpha level"
            labelWidth={12}
            tooltip="Krippendorff's alpha metric: nominal labels, or ordinal/interval for numeric ratings"
          >
            <RadioButtonGroup
              options={LEVEL_OPTIONS}
              value={query.level ?? 'nominal'}
              onChange={(level) => change({ level })}
              size="sm"
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'events' && (
        <InlineFieldRow>
          <InlineField
            label="Tags"
            labelWidth={LABEL_WIDTH}
            tooltip="Events carrying all of these tags, e.g. training, incident; none for all events"
          >
            <TagsInput id={id('tags')} tags={query.tags ?? []} width={48} onChange={(tags) => change({ tags })} />
          </InlineField>
          <InlineField label="Phase" labelWidth={8}>
            <Combobox<Phase>
              id={id('phase')}
              options={PHASE_OPTIONS}
              value={query.phase ?? null}
              placeholder="any"
              width={16}
              isClearable
              onChange={(o) => change({ phase: o?.value })}
            />
          </InlineField>
        </InlineFieldRow>
      )}

      {type === 'catalog' && (
        <InlineFieldRow>
          <InlineField label="Names of" labelWidth={LABEL_WIDTH}>
            <RadioButtonGroup<CatalogOf>
              options={OF_OPTIONS}
              value={query.of ?? 'runs'}
              onChange={(of) => change({ of })}
              size="sm"
            />
          </InlineField>
          {query.of === 'metrics' && (
            <InlineField label="Run" labelWidth={8}>
              <NamePicker
                id={id('run')}
                value={query.run}
                names={names('runs')}
                loading={loading}
                wildcard
                onChange={(run) => change({ run })}
              />
            </InlineField>
          )}
        </InlineFieldRow>
      )}

      {type === 'status' && (
        <Text color="secondary" element="p">
          One row per phase (data, training, evaluation, deployment): state, reason and last update. No options.
        </Text>
      )}

      {type === 'health' && (
        <InlineFieldRow>
          <InlineField
            label="Run"
            labelWidth={LABEL_WIDTH}
            tooltip="The training run whose signals (reward hacking, entropy collapse, ...) to compute"
          >
            <NamePicker
              id={id('run')}
              value={query.run}
              names={names('runs')}
              loading={loading}
              onChange={(run) => change({ run })}
            />
          </InlineField>
          <InlineField
            label="Smoothing"
            labelWidth={11}
            tooltip="TensorBoard-style smoothing weight in [0, 0.999]; default 0.6"
          >
            <CommitInput
              id={id('smoothing')}
              type="number"
              width={8}
              value={query.smoothing === undefined ? '' : String(query.smoothing)}
              placeholder="0.6"
              onCommit={(v) => change({ smoothing: v === '' ? undefined : Number(v) })}
            />
          </InlineField>
          <InlineField
            label="KL budget"
            labelWidth={11}
            tooltip="KL beyond which the policy has drifted too far (reward hacking); default 10"
          >
            <CommitInput
              id={id('kl_budget')}
              type="number"
              width={8}
              value={query.kl_budget === undefined ? '' : String(query.kl_budget)}
              placeholder="10"
              onCommit={(v) => change({ kl_budget: v === '' ? undefined : Number(v) })}
            />
          </InlineField>
        </InlineFieldRow>
      )}
    </Stack>
  );
}
