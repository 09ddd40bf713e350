// Every field of every target shape the committed dashboards use, and every field a health query can carry,
// has a control in its editor that shows the saved value.
import { screen, within } from '@testing-library/react';
import { QUERY_TYPES } from '@rlhf-monitor/contract';
import { QUERY_FIELDS, type FieldSpec } from '../../queryModel';
import { dashboardShapes } from '../../testing/dashboardTargets';
import { installDomStubs } from '../../testing/domStubs';
import { installBackend, renderEditor } from '../../testing/editorHarness';
import type { QueryType, RlhfQuery } from '../../types';
import { AnnotationQueryEditor } from '../AnnotationQueryEditor';
import { QueryEditor } from '../QueryEditor';
import { VariableQueryEditor } from '../VariableQueryEditor';
import { QUERY_EDITORS } from './registry';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

const EDITORS = { panel: QueryEditor, annotation: AnnotationQueryEditor, variable: VariableQueryEditor };
const label = (spec: FieldSpec) => new RegExp(`^${spec.label.replace(/[()]/g, '\\$&')}( \\*)?$`);

/** The control of one field and the values it shows. */
function control(spec: FieldSpec): { element: HTMLElement; shown: string } {
  const group = screen.queryByRole('radiogroup', { name: spec.label });
  if (group) {
    // RadioButtonGroup ids its inputs option-<value>-<group>.
    const checked = within(group)
      .getAllByRole('radio')
      .find((r) => (r as HTMLInputElement).checked);
    return { element: group, shown: checked?.id ?? '' };
  }
  const combo = screen.queryByRole('combobox', { name: label(spec) });
  if (combo && combo.closest('[class*="multi"], [class*="Multi"]') === null && (combo as HTMLInputElement).value) {
    return { element: combo, shown: (combo as HTMLInputElement).value };
  }
  if (combo) {
    // A list: pills that do not fit fold into "+n"; the wrapper's title holds them all.
    return { element: combo, shown: combo.closest('[data-values]')?.getAttribute('data-values') ?? '' };
  }
  const input = screen.getByLabelText(label(spec)) as HTMLInputElement;
  return { element: input, shown: input.type === 'checkbox' ? String(input.checked) : input.value };
}

const shown = (v: unknown) => (Array.isArray(v) ? v : [v]).map((x) => String(x));

// The plugin side of "one union": the service's registry is held to the same list (server/src/query/registry.test.ts).
test('every query type of the contract has an editor and field specs, and no other type does', () => {
  expect(Object.keys(QUERY_EDITORS).sort()).toEqual([...QUERY_TYPES].sort());
  expect(Object.keys(QUERY_FIELDS).sort()).toEqual([...QUERY_TYPES].sort());
});

describe.each([...dashboardShapes().entries()])('%s', (_shape, { target, kind }) => {
  test('every field is shown with its saved value', async () => {
    await renderEditor(target as unknown as RlhfQuery, EDITORS[kind]);
    const type = (target.type ?? 'catalog') as QueryType;
    const keys = Object.keys(target).filter((k) => !['refId', 'datasource', 'type'].includes(k));
    for (const key of keys) {
      const spec = QUERY_FIELDS[type].find((f) => f.key === key);
      expect(spec).toBeDefined();
      const { element, shown: text } = control(spec!);
      expect(element).toBeEnabled();
      for (const value of shown(target[key])) {
        expect(text.toLowerCase()).toContain(value.toLowerCase());
      }
    }
  });
});

test('a health query that sets every option shows each of them', async () => {
  const query = Object.fromEntries(
    QUERY_FIELDS.health.map((f) => [
      f.key,
      f.number ? f.number.min + f.number.step : f.key === 'metrics' ? ['kl'] : 'ppo',
    ])
  );
  await renderEditor({ refId: 'A', version: 1, type: 'health', ...query } as RlhfQuery);
  for (const spec of QUERY_FIELDS.health) {
    const { shown: text } = control(spec);
    expect(text).toContain(String(shown(query[spec.key])[0]));
  }
});
