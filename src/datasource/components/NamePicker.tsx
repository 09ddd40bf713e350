import React, { useMemo } from 'react';
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
  placeholder?: string;
  width?: number;
  onChange: (value: NamePattern) => void;
}

/** A catalog name, a dashboard variable (`$run`), or any typed pattern (`ppo-*`). Lists get a multi picker. */
export function NamePicker({ id, value, names, loading, wildcard, placeholder, width = 32, onChange }: Props) {
  const options = useMemo(() => {
    const variables = getTemplateSrv()
      .getVariables()
      .map((v) => `$${v.name}`);
    const all = [...(wildcard ? ['*'] : []), ...variables, ...(names ?? [])];
    return Array.from(new Set(all)).map((name): ComboboxOption<string> => ({
      value: name,
      ...(name === '*' ? { description: 'all' } : name.startsWith('$') ? { description: 'variable' } : {}),
    }));
  }, [names, wildcard]);

  if (Array.isArray(value)) {
    return (
      <MultiCombobox
        id={id}
        options={options}
        value={value}
        width={width}
        loading={loading}
        createCustomValue
        placeholder={placeholder}
        onChange={(selected) => onChange(selected.map((o) => o.value))}
      />
    );
  }
  return (
    <Combobox
      id={id}
      options={options}
      value={value || null}
      width={width}
      loading={loading}
      createCustomValue
      placeholder={placeholder}
      onChange={(o) => onChange(o.value)}
    />
  );
}
