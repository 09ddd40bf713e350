import { fireEvent, screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { installBackend, pick, renderEditor, settle } from '../../testing/editorHarness';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

test('dataset from the catalog and the alpha level, each change run once', async () => {
  const ed = await renderEditor({ refId: 'D', type: 'agreement', dataset: '', version: 1 });
  expect(ed.query()).toMatchObject({ dataset: 'prefs-helpfulness' });
  await pick('Dataset', 'prefs-safety');
  expect(screen.getByRole('radiogroup', { name: 'Alpha level' })).toBeInTheDocument();
  fireEvent.click(screen.getByLabelText('Ordinal'));
  await settle();
  expect(ed.query()).toEqual({ refId: 'D', type: 'agreement', dataset: 'prefs-safety', level: 'ordinal', version: 1 });
  expect(ed.runs()).toBe(3);
});
