import React from 'react';
import { InlineFieldRow } from '@grafana/ui';
import { fieldSpec } from '../../queryModel';
import type { RlhfQuery } from '../../types';
import { EditorField, fieldId, LABEL_WIDTH, NumberField, PhaseField } from '../fields';
import { NamePicker } from '../NamePicker';
import { useEventTags, type TypeEditorProps } from './common';

/** Pipeline events: all of some tags (suggested from recent events), a phase, a limit. */
export function EventsEditor(props: TypeEditorProps) {
  const { query, datasource, onChange } = props;
  const { tags, loading } = useEventTags(datasource);
  const spec = (key: Parameters<typeof fieldSpec>[1]) => fieldSpec('events', key);
  const id = (key: string) => fieldId(query.refId, key);
  const value: RlhfQuery['tags'] = query.tags ?? [];
  return (
    <InlineFieldRow>
      <EditorField spec={spec('tags')} labelWidth={LABEL_WIDTH}>
        <NamePicker
          id={id('tags')}
          value={value}
          names={tags}
          loading={loading}
          multi
          width={40}
          placeholder={spec('tags').placeholder}
          onChange={(v) => onChange({ tags: Array.isArray(v) ? v : [v] })}
        />
      </EditorField>
      <PhaseField id={id('phase')} spec={spec('phase')} value={query.phase} onChange={(phase) => onChange({ phase })} />
      <NumberField
        id={id('limit')}
        spec={spec('limit')}
        value={query.limit}
        onChange={(limit) => onChange({ limit })}
      />
    </InlineFieldRow>
  );
}
