import { fireEvent, screen } from '@testing-library/react';
import { setBackendSrv } from '@grafana/runtime';
import { throwError } from 'rxjs';
import { installDomStubs } from '../testing/domStubs';
import { installBackend, renderEditor, settle } from '../testing/editorHarness';
import type { RlhfQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

beforeAll(installDomStubs);

test('a legacy string query is shown as its catalog target; kinds are capitalised', async () => {
  installBackend();
  const ed = await renderEditor('models' as unknown as RlhfQuery, VariableQueryEditor);
  expect(screen.getByLabelText('Models')).toBeChecked();
  fireEvent.click(screen.getByLabelText('Metrics'));
  await settle();
  expect(ed.query()).toEqual({ refId: 'variable', type: 'catalog', of: 'metrics', version: 1 });
  expect(screen.getByRole('combobox', { name: 'Run' })).toHaveAttribute('placeholder', '* (all runs)');
});

test('when the catalog cannot be loaded the editor says so', async () => {
  installBackend();
  const failing = { fetch: () => throwError(() => ({ status: 502, statusText: 'Bad Gateway', data: '' })) };
  setBackendSrv(failing as never);
  await renderEditor({ refId: 'v', type: 'catalog', of: 'metrics' }, VariableQueryEditor);
  expect(screen.getByText('Could not load names from the service')).toBeVisible();
  expect(screen.getByText(/unreachable \(502 Bad Gateway\)/)).toBeVisible();
});
