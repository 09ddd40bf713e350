import React, { useLayoutEffect, useRef } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Stack, Text } from '@grafana/ui';
import type { DataSource } from '../datasource';
import { migrateQuery } from '../migration';
import { applyPatch, sameQuery } from '../queryModel';
import type { RlhfOptions, RlhfQuery } from '../types';
import { EventsEditor } from './editors/EventsEditor';

type Props = QueryEditorProps<DataSource, RlhfQuery, RlhfOptions>;

/** Only events become annotations: which events (tags, phase, how many), nothing else to choose. */
export function AnnotationQueryEditor({ query: saved, datasource, range, onChange }: Props) {
  const query = migrateQuery({ ...saved, refId: saved.refId || 'Anno', type: 'events' });
  const latest = useRef(query);
  useLayoutEffect(() => {
    latest.current = migrateQuery({ ...saved, refId: saved.refId || 'Anno', type: 'events' });
  }, [saved]);
  const change = (patch: Partial<RlhfQuery>) => {
    const next = applyPatch(latest.current, patch);
    if (!sameQuery(next, latest.current)) {
      latest.current = next;
      onChange(next);
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <Text color="secondary" element="p">
        Each pipeline event with all of these tags becomes an annotation: its title and text, its tags; incidents in
        red.
      </Text>
      <EventsEditor query={query} datasource={datasource} range={range} onChange={change} />
    </Stack>
  );
}
