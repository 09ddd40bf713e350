import { screen } from '@testing-library/react';
import { installDomStubs } from '../../testing/domStubs';
import { CATALOG, installBackend, openPicker, renderEditor } from '../../testing/editorHarness';

beforeAll(installDomStubs);

test('a new query gets * and a preferred metric from the catalog, and runs once', async () => {
  installBackend();
  const ed = await renderEditor({ refId: 'A', type: 'timeseries', run: '*', metric: '', version: 1 });
  expect(ed.query()).toEqual({ refId: 'A', type: 'timeseries', run: '*', metric: 'objective/rlhf_reward', version: 1 });
  expect(ed.runs()).toBe(1);
});

test('metric names follow the run; a metric the run does not log gets a hint at the field', async () => {
  const backend = installBackend({ ...CATALOG, metrics: ['loss'] });
  await renderEditor({ refId: 'A', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'objective/kl', version: 1 });
  expect(backend.requests.map((r) => r.data.queries[0])).toContainEqual({
    refId: 'catalog',
    type: 'catalog',
    of: 'metrics',
    run: 'ppo-llama3-8b',
  });
  expect(
    screen.getByText('objective/kl is not in the metrics of ppo-llama3-8b: the panel will be empty')
  ).toBeVisible();
  // The run picker offers the wildcard, the dashboard's variables, then the catalog.
  expect((await openPicker('Run')).map((o) => o.replace(/(all|variable)$/, ''))).toEqual([
    '*',
    '$run',
    ...CATALOG.runs!,
  ]);
});
