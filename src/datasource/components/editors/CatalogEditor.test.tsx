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
