import React, { useMemo, useRef } from 'react';
import { getTemplateSrv } from '@grafana/runtime';
import { Combobox, MultiCombobox, type ComboboxOption } from '@grafana/ui';
import type { NamePattern } from '../types';

interface Props {
  id: string;
  value: NamePattern | undefined;
  /** Names from the catalog. */
  names: string[] | undefined;
  loading?: boolean;
  /** Offer `*` (the service's wildcard) as the first option. */
  wildcard?: boolean;
  /** Always a list (e.g. tags, curves): a multi picker even for one value. */
  multi?: boolean;
  placeholder?: string;
  width?: number;
  invalid?: boolean;
  onChange: (value: NamePattern) => void;
}

/** A catalog name, a dashboard variable (`$run`), or any typed pattern (`ppo-*`). Lists get a multi picker. */
export function NamePicker(props: Props) {
  const { id, value, names, loading, wildcard, placeholder, invalid, width = 32, onChange } = props;
  // Callers may pass fresh arrays on every render: the options change only when their contents do (a new options
  // array each render makes the Combobox re-render forever).
  const namesKey = (names ?? []).join('\u0000');
  const chosenKey = Array.isArray(value) ? value.join('\u0000') : '';
  const options = useMemo(() => {
    const variables = getTemplateSrv()
      .getVariables()
      .map((v) => `$${v.name}`);
    // The chosen values are always options, so a list shows each of them checked in the menu.
    const chosen = chosenKey ? chosenKey.split('\u0000') : [];
    const all = [...(wildcard ? ['*'] : []), ...variables, ...(namesKey ? namesKey.split('\u0000') : []), ...chosen];
    return Array.from(new Set(all)).map((name): ComboboxOption<string> => ({
      value: name,
      ...(name === '*' ? { description: 'all' } : name.startsWith('$') ? { description: 'variable' } : {}),
    }));
  }, [namesKey, chosenKey, wildcard]);
  // What the user last typed: the Combobox hands over no option when Enter is pressed while its highlighted row
  // lies beyond the filtered list (e.g. typing `loss/*` with `objective/kl` selected), and that text is the
  // value they meant.
  const typed = useRef('');
  const onInput = (e: React.FormEvent<HTMLDivElement>) => {
    const target = e.target as HTMLInputElement;
    if (target.id === id) {
      typed.current = target.value;
    }
  };

  if (props.multi || Array.isArray(value)) {
    const list = Array.isArray(value) ? value : value ? [value] : [];
    return (
      // Pills that do not fit fold into "+n": the full list is the wrapper's title.
      <div onChangeCapture={onInput} title={list.join(', ')} data-values={list.join(', ')}>
        <MultiCombobox
          id={id}
          options={options}
          value={list}
          width={width}
          loading={loading}
          createCustomValue
          placeholder={placeholder}
          invalid={invalid}
          onChange={(selected) => {
            const next = selected.filter((o): o is ComboboxOption<string> => Boolean(o)).map((o) => o.value);
            typed.current = '';
            onChange(next);
          }}
        />
      </div>
    );
  }
  return (
    <div onChangeCapture={onInput}>
      <Combobox
        id={id}
        options={options}
        value={value || null}
        width={width}
        loading={loading}
        createCustomValue
        placeholder={placeholder}
        invalid={invalid}
        onChange={(o: ComboboxOption<string> | null | undefined) => {
          const next = o?.value ?? typed.current.trim();
          typed.current = '';
          if (next !== '' && next !== value) {
            onChange(next);
          }
        }}
      />
    </div>
  );
}
