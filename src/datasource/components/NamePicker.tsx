import React, { useMemo, useRef } from 'react';
import { getTemplateSrv } from '@grafana/runtime';
import { useInputWidth } from './fields';
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
  const { id, value, names, loading, wildcard, placeholder, invalid, onChange } = props;
  const width = useInputWidth(props.width ?? 32);
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
  const handled = useRef(false);
  /** Arrow keys used since the last keystroke: Enter then means the highlighted row. */
  const navigated = useRef(false);
  const onInput = (e: React.FormEvent<HTMLDivElement>) => {
    const target = e.target as HTMLInputElement;
    if (target.id === id) {
      typed.current = target.value;
      navigated.current = false;
    }
  };
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const multi = props.multi || Array.isArray(value);
  /** Take what was typed: as the value, or added to the list. */
  const takeTyped = () => {
    const text = typed.current.trim();
    typed.current = '';
    if (text === '') {
      return;
    }
    if (multi) {
      if (!list.includes(text)) {
        onChange([...list, text]);
      }
    } else if (text !== value) {
      onChange(text);
    }
  };
  // Enter right after typing takes what was typed (`loss/*`), not a row the picker still highlights from before
  // (or one past the filtered list); after arrow keys it is the highlighted row.
  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const input = e.target as HTMLInputElement;
    if (input.id !== id) {
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      navigated.current = true;
    } else if (e.key === 'Enter' && typed.current.trim() !== '' && !navigated.current) {
      e.preventDefault();
      e.stopPropagation();
      takeTyped();
      input.blur();
    } else if (e.key === 'Enter' && !input.getAttribute('aria-activedescendant')) {
      handled.current = false;
      setTimeout(() => !handled.current && takeTyped(), 0);
    }
  };

  if (multi) {
    return (
      // Pills that do not fit fold into "+n": the full list is the wrapper's title.
      <div onChangeCapture={onInput} onKeyDownCapture={onKeyDown} title={list.join(', ')} data-values={list.join(', ')}>
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
            handled.current = true;
            const next = selected.filter((o): o is ComboboxOption<string> => Boolean(o)).map((o) => o.value);
            if (next.length < selected.length) {
              takeTyped(); // a row past the filtered list: the typed text was meant
              return;
            }
            typed.current = '';
            onChange(next);
          }}
        />
      </div>
    );
  }
  return (
    <div onChangeCapture={onInput} onKeyDownCapture={onKeyDown}>
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
          handled.current = true;
          if (!o) {
            takeTyped();
            return;
          }
          typed.current = '';
          if (o.value !== value) {
            onChange(o.value);
          }
        }}
      />
    </div>
  );
}
