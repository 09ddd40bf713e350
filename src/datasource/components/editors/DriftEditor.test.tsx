import { screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { commit, installBackend, renderEditor } from '../../testing/editorHarness';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

test('a new drift query takes the first feature, training as reference and production as current', async () => {
  const ed = await renderEditor({ refId: 'C', type: 'drift', feature: '', reference: '', current: '', version: 1 });
  expect(ed.query()).toEqual({
    refId: 'C',
    type: 'drift',
    feature: 'category',
    reference: 'training',
    current: 'production',
    version: 1,
  });
  expect(ed.runs()).toBe(1);
});

/** A saved categorical drift target. */
const q = {
  refId: 'C',
  type: 'drift' as const,
  feature: 'category',
  reference: 'training',
  current: 'production',
  version: 1,
};

test('bins -3 is refused at the field; 30 is saved and runs', async () => {
  const ed = await renderEditor(q);
  await commit('Bins', '-3');
  expect(screen.getByText('Enter a number from 1 to 200')).toBeVisible();
  expect(ed.runs()).toBe(0);
  await commit('Bins', '30');
  expect(ed.query()).toEqual({ ...q, bins: 30 });
  expect(ed.runs()).toBe(1);
});

test('a reference window like "weekly" gets a message at the field; 7d is saved and runs', async () => {
  const ed = await renderEditor(q);
  await commit('Reference window', 'weekly');
  expect(screen.getByText(/Enter a duration such as 6h/)).toBeVisible();
  expect(ed.runs()).toBe(0);
  await commit('Reference window', '7d');
  expect(ed.query()).toEqual({ ...q, reference_window: '7d' });
  expect(ed.runs()).toBe(1);
});
