// The building blocks every query-type editor uses: a labelled field with its tooltip and message, inputs that
// commit on blur or Enter (so typing does not run the query on every keystroke), validated number and duration
// inputs, a switch and a labelled radio group.
import React, { useContext, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Combobox, InlineField, InlineSwitch, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';
import { intervalError, numberError, type FieldSpec } from '../queryModel';
import { PHASES, type Phase } from '../types';

/** True in an editor too narrow for fields side by side: each field then takes the whole row, inputs shrink. */
export const NarrowEditor = React.createContext(false);

/** An input's width: its own in a wide editor, the rest of its row in a narrow one. */
export function useInputWidth(width: number | undefined): number | undefined {
  return useContext(NarrowEditor) ? undefined : width;
}

/** Label column of the first field in a row (grid units of 8 px): wide enough for every label unwrapped. */
export const LABEL_WIDTH = 16;

export const fieldId = (refId: string, key: string) => `rlhf-${refId}-${key}`;

interface FieldProps {
  spec: FieldSpec;
  /** `auto` for fields after the first in a row: the label takes the width its text needs. */
  labelWidth?: number | 'auto';
  error?: string;
  htmlFor?: string;
  children: React.ReactElement;
}

/** Grid units a label needs on one line: its text, the required mark and the tooltip icon. */
export const labelUnits = (spec: FieldSpec) => Math.ceil((spec.label.length * 7 + (spec.required ? 10 : 0) + 40) / 8);

/** An inline field labelled from its spec; a message below the input when `error` is set. */
export function EditorField({ spec, labelWidth = 'auto', error, htmlFor, children }: FieldProps) {
  const styles = useStyles2(getStyles);
  const narrow = useContext(NarrowEditor);
  return (
    <InlineField
      grow={narrow}
      label={spec.label}
      labelWidth={labelWidth === 'auto' ? labelUnits(spec) : Math.max(labelWidth, labelUnits(spec))}
      tooltip={spec.tooltip}
      required={spec.required}
      invalid={Boolean(error)}
      error={error}
      htmlFor={htmlFor}
      className={styles.field}
    >
      {children}
    </InlineField>
  );
}

interface CommitProps {
  id: string;
  value: string;
  placeholder?: string;
  width?: number;
  /** A message for a draft that must not be committed; the draft stays in the input with the message. */
  validate?: (draft: string) => string | undefined;
  onCommit: (value: string) => void;
  onError?: (message: string | undefined) => void;
}

/** A text field that commits on blur or Enter, so the query does not run on every keystroke. */
export function CommitInput({
  id,
  value,
  placeholder,
  width: ownWidth = 16,
  validate,
  onCommit,
  onError,
}: CommitProps) {
  const width = useInputWidth(ownWidth);
  // undefined while the user is not editing: the field then shows the query's value.
  const [draft, setDraft] = useState<string>();
  const commit = () => {
    if (draft === undefined) {
      return;
    }
    const message = validate?.(draft.trim());
    onError?.(message);
    if (message) {
      return; // keep the draft and its message
    }
    if (draft.trim() !== value) {
      onCommit(draft.trim());
    }
    setDraft(undefined);
  };
  return (
    <Input
      id={id}
      width={width}
      value={draft ?? value}
      placeholder={placeholder}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

interface NumberFieldProps {
  id: string;
  spec: FieldSpec;
  value: number | undefined;
  labelWidth?: number | 'auto';
  width?: number;
  onChange: (value: number | undefined) => void;
}

/** A number with the service's limits: min, max and step on the input, a message at the field when outside. */
export function NumberField({ id, spec, value, labelWidth, width, onChange }: NumberFieldProps) {
  const limits = spec.number!;
  const inputWidth = useInputWidth(width ?? Math.max(10, Math.ceil(((spec.placeholder ?? '').length * 7 + 40) / 8)));
  const [error, setError] = useState<string>();
  const [draft, setDraft] = useState<string>();
  const commit = () => {
    if (draft === undefined) {
      return;
    }
    const text = draft.trim();
    const next = text === '' ? undefined : Number(text);
    const message = numberError(next, limits);
    setError(message);
    if (message) {
      return;
    }
    setDraft(undefined);
    if (next !== value) {
      onChange(next);
    }
  };
  return (
    <EditorField spec={spec} labelWidth={labelWidth} error={error}>
      <Input
        id={id}
        type="number"
        min={limits.min}
        max={limits.max}
        step={limits.step}
        width={inputWidth}
        value={draft ?? (value === undefined ? '' : String(value))}
        placeholder={spec.placeholder}
        invalid={Boolean(error)}
        onChange={(e) => setDraft(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
      />
    </EditorField>
  );
}

/** A duration like `6h` or `7d` (the service's interval syntax), or none; a message at the field when invalid. */
export function DurationField(props: {
  id: string;
  spec: FieldSpec;
  value: string | undefined;
  labelWidth?: number | 'auto';
  onChange: (value: string | undefined) => void;
}) {
  const [error, setError] = useState<string>();
  return (
    <EditorField spec={props.spec} labelWidth={props.labelWidth} error={error}>
      <CommitInput
        id={props.id}
        value={props.value ?? ''}
        placeholder={props.spec.placeholder}
        validate={intervalError}
        onError={setError}
        onCommit={(v) => props.onChange(v || undefined)}
      />
    </EditorField>
  );
}

/** An on/off option, left out of the query when off. */
export function SwitchField(props: {
  id: string;
  spec: FieldSpec;
  value: boolean | undefined;
  onChange: (value: true | undefined) => void;
}) {
  return (
    <EditorField spec={props.spec}>
      <InlineSwitch
        id={props.id}
        value={Boolean(props.value)}
        onChange={(e) => props.onChange(e.currentTarget.checked || undefined)}
      />
    </EditorField>
  );
}

interface RadioFieldProps<T> {
  spec: FieldSpec;
  options: Array<SelectableValue<T>>;
  value: T;
  labelWidth?: number | 'auto';
  onChange: (value: T) => void;
}

/** A radio group named by its label for assistive technology, as tall as the inputs beside it. */
export function RadioField<T>({ spec, options, value, labelWidth, onChange }: RadioFieldProps<T>) {
  const styles = useStyles2(getStyles);
  return (
    <EditorField spec={spec} labelWidth={labelWidth}>
      <RadioButtonGroup<T>
        aria-label={spec.label}
        className={styles.radios}
        options={options}
        value={value}
        onChange={(v) => v !== value && onChange(v)}
      />
    </EditorField>
  );
}

const PHASE_OPTIONS = PHASES.map((value) => ({ value, label: value[0].toUpperCase() + value.slice(1) }));

/** The pipeline phase, or any. */
export function PhaseField(props: {
  id: string;
  spec: FieldSpec;
  value: Phase | undefined;
  labelWidth?: number | 'auto';
  onChange: (phase: Phase | undefined) => void;
}) {
  return (
    <EditorField spec={props.spec} labelWidth={props.labelWidth}>
      <Combobox<Phase>
        id={props.id}
        options={PHASE_OPTIONS}
        value={props.value ?? null}
        placeholder={props.spec.placeholder}
        width={useInputWidth(18)}
        isClearable
        onChange={(o) => o?.value !== props.value && props.onChange(o?.value)}
      />
    </EditorField>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  // Labels never wrap out of their box; the tooltip icon keeps its distance from the input.
  field: css({
    '& label': { whiteSpace: 'nowrap', flexShrink: 0, gap: theme.spacing(0.5) },
  }),
  radios: css({ alignSelf: 'center' }),
});
