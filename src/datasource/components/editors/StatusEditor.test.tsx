import { screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { installBackend, renderEditor } from '../../testing/editorHarness';

beforeAll(installDomStubs);

test('status has no options and asks the catalog nothing', async () => {
  const backend = installBackend();
  const ed = await renderEditor({ refId: 'G', type: 'status', version: 1 });
  expect(screen.getByText(/One row per phase/)).toBeVisible();
  expect(screen.getAllByRole('combobox')).toHaveLength(1); // the query type only
  expect(backend.requests).toHaveLength(0);
  expect(ed.changes).toHaveLength(0);
});
