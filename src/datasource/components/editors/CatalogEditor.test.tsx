import { fireEvent, screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { installBackend, renderEditor, settle } from '../../testing/editorHarness';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

test('capitalised kinds; metrics take a run filter, which goes when another kind is chosen', async () => {
  const ed = await renderEditor({ refId: 'F', type: 'catalog', of: 'runs', version: 1 });
  expect(screen.queryByRole('combobox', { name: 'Run' })).not.toBeInTheDocument();
  fireEvent.click(screen.getByLabelText('Metrics'));
  await settle();
  expect(screen.getByRole('combobox', { name: 'Run' })).toHaveAttribute('placeholder', '* (all runs)');
  ed.changes.length = 0;
  fireEvent.click(screen.getByLabelText('Models'));
  await settle();
  expect(ed.query()).toEqual({ refId: 'F', type: 'catalog', of: 'models', version: 1 });
});

test('runs can ask for the runs table (detail); it goes when another kind is chosen', async () => {
  const ed = await renderEditor({ refId: 'R', type: 'catalog', of: 'runs', version: 1 });
  expect(screen.getByLabelText('Runs table')).not.toBeChecked();
  fireEvent.click(screen.getByLabelText('Runs table'));
  await settle();
  expect(ed.query()).toEqual({ refId: 'R', type: 'catalog', of: 'runs', detail: true, version: 1 });
  expect(screen.getByLabelText('Runs table')).toBeChecked();
  fireEvent.click(screen.getByLabelText('Metrics'));
  await settle();
  expect(ed.query()).toEqual({ refId: 'R', type: 'catalog', of: 'metrics', version: 1 });
  expect(screen.queryByLabelText('Runs table')).not.toBeInTheDocument();
});
