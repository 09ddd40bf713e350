import { act, fireEvent, screen } from '@testing-library/react';
import { QUERY_VERSION } from '../migration';
import { installDomStubs } from '../testing/domStubs';
import { installBackend, openPicker, pick, renderEditor, settle, typeAndEnter } from '../testing/editorHarness';

beforeAll(installDomStubs);
let backend: ReturnType<typeof installBackend>;
beforeEach(() => {
  backend = installBackend();
});

const queriesSent = () => backend.requests.map((r) => r.data.queries[0]);

test('a saved target without a version is stored migrated, without running', async () => {
  const ed = await renderEditor({ refId: 'A', type: 'calibration', model: 'reward-model', bins: '15' as never });
  expect(ed.changes[0]).toEqual({
    refId: 'A',
    type: 'calibration',
    model: 'reward-model',
    bins: 15,
    version: QUERY_VERSION,
  });
  expect(ed.runs()).toBe(0);
});

test('switching type keeps shared fields, remembers each type, and runs once per switch that can run', async () => {
  const datasource = { type: 'humain-rlhf-datasource', uid: 'ds1' };
  const start = {
    refId: 'A',
    datasource,
    version: QUERY_VERSION,
    type: 'timeseries' as const,
    run: 'ppo-llama3-8b',
    metric: 'objective/kl',
    phase: 'training' as const,
    x: 'step' as const,
  };
  const ed = await renderEditor(start);
  expect(ed.changes).toHaveLength(0);

  await pick('Query type', 'Calibration');
  // calibration's model is filled from the catalog; the run is not a calibration field.
  expect(ed.query()).toEqual({
    refId: 'A',
    datasource,
    version: QUERY_VERSION,
    type: 'calibration',
    model: 'reward-model',
    bins: 10,
    binning: 'uniform',
  });
  // The switch itself (model still empty) did not run; filling the model did, once.
  expect(ed.runs()).toBe(1);

  await pick('Query type', 'Training health');
  expect(ed.query()).toMatchObject({ type: 'health', run: 'ppo-llama3-8b' }); // shared with time series
  await pick('Query type', 'Time series');
  expect(ed.query()).toEqual(start);
  expect(ed.runs()).toBe(3);
});

test('a wildcard run does not carry over to health, which reads one run with training data', async () => {
  const ed = await renderEditor({ refId: 'A', version: 1, type: 'timeseries', run: '*', metric: 'loss' });
  await pick('Query type', 'Training health');
  // annotation-pipeline comes first alphabetically but has no training data
  expect(ed.query()).toMatchObject({ type: 'health', run: 'dpo-llama3-8b' });
  expect(queriesSent()).toContainEqual({ refId: 'catalog', type: 'catalog', of: 'runs', phase: 'training' });
});

test('a custom pattern + Enter in the metric picker is taken (the Combobox hands over no option)', async () => {
  const ed = await renderEditor({ refId: 'A', version: 1, type: 'timeseries', run: '*', metric: 'objective/kl' });
  await typeAndEnter('Metric', 'loss/*');
  expect(ed.query()).toMatchObject({ metric: 'loss/*' });
  expect(screen.getByRole('combobox', { name: 'Metric *' })).toBeInTheDocument();
  expect(ed.runs()).toBe(1);
});

test('a pick that changes nothing does not run; a real pick runs exactly once', async () => {
  const ed = await renderEditor({ refId: 'A', version: 1, type: 'timeseries', run: '*', metric: 'loss' });
  await pick('Metric', 'loss');
  expect(ed.changes).toHaveLength(0);
  expect(ed.runs()).toBe(0);
  await pick('Run', 'ppo-llama3-8b');
  await settle(); // metric names of that run load; nothing to fill
  expect(ed.changes).toHaveLength(1);
  expect(ed.runs()).toBe(1);
});

test('a query whose required fields are empty is saved but not run', async () => {
  installBackend({ ...{ runs: [], metrics: [] } });
  const ed = await renderEditor({ refId: 'A', version: 1, type: 'timeseries', run: '*', metric: '' });
  await pick('Phase', 'Training');
  expect(ed.query()).toMatchObject({ phase: 'training', metric: '' });
  expect(ed.runs()).toBe(0);
});

test('the type options carry their descriptions and capitalised labels', async () => {
  await renderEditor({ refId: 'A', version: 1, type: 'status' });
  const options = await openPicker('Query type');
  expect(options.map((o) => o.split(/[A-Z][a-z]+ of|Curves|Reliability|Feature|Inter|Pipeline|The /)[0])).toEqual([
    'Time series',
    'Calibration',
    'Drift',
    'Agreement',
    'Events',
    'Catalog',
    'Status',
    'Training health',
  ]);
  await act(async () => {
    fireEvent.keyDown(screen.getByRole('combobox', { name: 'Query type' }), { key: 'Escape' });
  });
});
