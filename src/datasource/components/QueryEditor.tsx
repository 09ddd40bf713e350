import React, { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, RadioButtonGroup, Stack } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { migrateQuery } from '../migration';
import { applyPatch, emptyMemory, FRAMES_FIELD, isRunnable, sameQuery, switchType } from '../queryModel';
import { FRAMES } from '@rlhf-monitor/contract';
import { QUERY_TYPES, type QueryType, type RlhfOptions, type RlhfQuery } from '../types';
import { EditorField, fieldId, LABEL_WIDTH, NarrowEditor } from './fields';
import { NamePicker } from './NamePicker';
import { QUERY_EDITORS } from './editors/registry';
import { useWidth } from './useWidth';

type Props = QueryEditorProps<DataSource, RlhfQuery, RlhfOptions>;

// In the registry's order (the contract's lists them in another).
const TYPE_OPTIONS = (Object.keys(QUERY_EDITORS) as QueryType[]).map((value) => ({
  value,
  label: QUERY_EDITORS[value].label,
  description: QUERY_EDITORS[value].description,
}));
/** Which of its frames a type answers: offered where the type names its frames, or the query already narrows them. */
function FramesField({ query, onChange }: { query: RlhfQuery; onChange: (patch: Partial<RlhfQuery>) => void }) {
  const names = Object.values(FRAMES[query.type] ?? {}) as string[];
  if (names.length === 0 && !query.frames?.length) {
    return null;
  }
  return (
    <InlineFieldRow>
      <EditorField spec={FRAMES_FIELD} labelWidth={LABEL_WIDTH}>
        <NamePicker
          id={fieldId(query.refId, 'frames')}
          value={query.frames ?? []}
          names={names}
          multi
          width={40}
          placeholder={FRAMES_FIELD.placeholder}
          onChange={(v) => {
            const frames = Array.isArray(v) ? v : [v];
            onChange({ frames: frames.length ? frames : undefined });
          }}
        />
      </EditorField>
    </InlineFieldRow>
  );
}

/** Below this width the eight types do not fit in one row of buttons: a select instead. */
export const NARROW_EDITOR_PX = 1000;
/** Below this width fields stop sitting side by side: each takes its row. */
export const NARROW_FIELDS_PX = 640;

/**
 * The editor shell: the query type, then that type's own editor (editors/registry.ts). Every change goes through
 * `change`: the query is saved only when it differs, and run once, only when it can run (no required field
 * empty, no value out of range). Switching type keeps the fields types share and remembers what each type had.
 */
export function QueryEditor({ query: saved, datasource, range, onChange, onRunQuery }: Props) {
  const query = migrateQuery(saved);
  const type: QueryType = QUERY_TYPES.includes(query.type) ? query.type : 'timeseries';
  const [ref, width] = useWidth<HTMLDivElement>();
  // The query as last emitted: several changes can happen before Grafana renders the editor with the new one.
  // A layout effect takes each new saved query before the editors' own effects (catalog fills) can emit.
  const latest = useRef(query);
  useLayoutEffect(() => {
    latest.current = migrateQuery(saved);
  }, [saved]);
  const memory = useRef(emptyMemory());

  const emit = useCallback(
    (next: RlhfQuery) => {
      if (sameQuery(next, latest.current)) {
        return;
      }
      latest.current = next;
      onChange(next);
      if (isRunnable(next)) {
        onRunQuery();
      }
    },
    [onChange, onRunQuery]
  );
  const change = useCallback((patch: Partial<RlhfQuery>) => emit(applyPatch(latest.current, patch)), [emit]);

  // A target saved by an older editor is stored in the current layout (without running: it means the same).
  useEffect(() => {
    if (query !== saved) {
      latest.current = query;
      onChange(query);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saved]);

  const changeType = (next: QueryType) => {
    if (next === type) {
      return;
    }
    emit(switchType(latest.current, next, memory.current));
  };

  const { Editor } = QUERY_EDITORS[type];
  const narrow = width !== undefined && width < NARROW_EDITOR_PX;
  const narrowFields = width !== undefined && width < NARROW_FIELDS_PX;
  const typeId = `rlhf-${query.refId}-type`;
  return (
    <div ref={ref}>
      <NarrowEditor.Provider value={narrowFields}>
        <Stack direction="column" gap={1}>
          <InlineFieldRow>
            <InlineField
              label="Query type"
              labelWidth={LABEL_WIDTH}
              htmlFor={narrow ? typeId : undefined}
              grow={narrowFields}
            >
              {narrow ? (
                <Combobox<QueryType>
                  id={typeId}
                  options={TYPE_OPTIONS}
                  value={type}
                  width={narrowFields ? undefined : 32}
                  onChange={(o) => changeType(o.value)}
                />
              ) : (
                <RadioButtonGroup<QueryType>
                  aria-label="Query type"
                  options={TYPE_OPTIONS}
                  value={type}
                  onChange={changeType}
                />
              )}
            </InlineField>
          </InlineFieldRow>
          <Editor key={type} query={query} datasource={datasource} range={range} onChange={change} />
          <FramesField query={query} onChange={change} />
        </Stack>
      </NarrowEditor.Provider>
    </div>
  );
}
