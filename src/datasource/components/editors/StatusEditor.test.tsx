import { screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { installBackend, renderEditor } from '../../testing/editorHarness';

beforeAll(installDomStubs);

test('status has no options and asks the catalog nothing', async () => {
  const backend = installBackend();
  const ed = await renderEditor({ refId: 'G', type: 'status', version: 1 });
  expect(screen.getByText(/One row per phase/)).toBeVisible();
  // The query type, and which of its frames (status answers one, `status`).
  expect(screen.getAllByRole('combobox').map((c) => c.id)).toEqual(['rlhf-G-type', 'rlhf-G-frames']);
  expect(backend.requests).toHaveLength(0);
  expect(ed.changes).toHaveLength(0);
});
