import { fireEvent, screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { commit, installBackend, openPicker, pick, renderEditor } from '../../testing/editorHarness';

beforeAll(installDomStubs);

test('tags are suggested from recent events; tags and limit are emitted', async () => {
  const backend = installBackend();
  const ed = await renderEditor({ refId: 'E', type: 'events', tags: [], version: 1 });
  expect(backend.requests.map((r) => r.data.queries[0])).toContainEqual({ refId: 'tags', type: 'events', limit: 1000 });
  const options = await openPicker('Tags');
  expect(options.filter((o) => !o.startsWith('$'))).toEqual(['checkpoint', 'deployment', 'incident', 'training']);
  fireEvent.keyDown(screen.getByRole('combobox', { name: 'Tags' }), { key: 'Escape' });
  await pick('Tags', 'incident');
  await commit('Limit', '20000');
  expect(screen.getByText('Enter a number from 1 to 10000')).toBeVisible();
  await commit('Limit', '50');
  expect(ed.query()).toEqual({
    refId: 'E',
    type: 'events',
    tags: ['incident'],
    limit: 50,
    version: 1,
  });
  expect(ed.runs()).toBe(2);
});
