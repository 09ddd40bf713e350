import { screen } from '@testing-library/react';
import { installDomStubs } from '../testing/domStubs';
import { installBackend, pick, renderEditor } from '../testing/editorHarness';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

beforeAll(installDomStubs);
beforeEach(() => installBackend());

test('only events: tags, phase and limit; an old target of another type becomes events', async () => {
  const ed = await renderEditor({ refId: 'Anno', type: 'timeseries', metric: 'loss' }, AnnotationQueryEditor);
  expect(screen.queryByRole('radiogroup', { name: 'Query type' })).not.toBeInTheDocument();
  expect(screen.queryByRole('combobox', { name: 'Query type' })).not.toBeInTheDocument();
  expect(screen.getByLabelText('Limit')).toBeInTheDocument();
  await pick('Tags', 'incident');
  expect(ed.query()).toMatchObject({ refId: 'Anno', type: 'events', tags: ['incident'], version: 1 });
  expect(ed.runs()).toBe(0); // Grafana runs annotation queries itself
});
