import React from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { DataSource } from '../datasource';
import { catalogBackendSrv } from '../testing/catalogBackendSrv';
import { installDomStubs } from '../testing/domStubs';
import { customVariable, SimpleTemplateSrv } from '../testing/templateSrv';
import type { RlhfOptions, RlhfQuery } from '../types';
import { QueryEditor } from './QueryEditor';

const CATALOG = {
  runs: ['dpo-llama3-8b', 'ppo-llama3-8b'],
  metrics: ['loss', 'objective/kl', 'objective/rlhf_reward'],
  models: ['reward-model', 'reward-model-v2'],
  datasets: ['prefs-helpfulness', 'prefs-safety'],
  features: ['category', 'prompt_length', 'response_length'],
  sources: ['production', 'training'],
};

let backend: ReturnType<typeof catalogBackendSrv>;

function dataSource() {
  return new DataSource({
    uid: 'ds1',
    url: '/api/datasources/proxy/uid/ds1',
    jsonData: { url: 'http://127.0.0.1:8400' },
    meta: { id: 'humain-rlhf-datasource' },
  } as unknown as DataSourceInstanceSettings<RlhfOptions>);
}

async function setup(query: RlhfQuery) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const ds = dataSource();
  const view = render(<QueryEditor query={query} datasource={ds} onChange={onChange} onRunQuery={onRunQuery} />);
  // Wait for the catalog answer (the pickers stop loading).
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return { onChange, onRunQuery, view };
}

async function openPicker(label: string): Promise<string[]> {
  const input = screen.getByRole('combobox', { name: label });
  await act(async () => {
    fireEvent.click(input);
  });
  const options = await screen.findAllByRole('option');
  return options.map((o) => o.textContent ?? '');
}

async function pick(label: string, option: string) {
  await openPicker(label);
  const match = screen.getAllByRole('option').find((o) => o.textContent?.startsWith(option));
  expect(match).toBeDefined();
  await act(async () => {
    fireEvent.click(match!);
  });
}

const lastChange = (onChange: jest.Mock) => onChange.mock.calls[onChange.mock.calls.length - 1][0];

beforeAll(installDomStubs);
beforeEach(() => {
  backend = catalogBackendSrv(CATALOG);
  setBackendSrv(backend);
  setTemplateSrv(new SimpleTemplateSrv([customVariable({ name: 'run', current: ['ppo-llama3-8b'] })]));
});

describe('timeseries', () => {
  test('a new query gets its metric from the catalog and runs at once', async () => {
    const { onChange, onRunQuery } = await setup({ refId: 'A', type: 'timeseries', run: '*', metric: '' });
    expect(screen.getByRole('combobox', { name: 'Run' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Metric' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'Phase' })).toBeInTheDocument();
    expect(screen.getByText('X axis')).toBeInTheDocument();
    expect(onChange).toHaveBeenCalledWith({
      refId: 'A',
      type: 'timeseries',
      run: '*',
      metric: 'objective/rlhf_reward',
    });
    expect(onRunQuery).toHaveBeenCalled();
  });

  test('the run picker offers *, dashboard variables and the catalog runs; a pick is emitted', async () => {
    const { onChange } = await setup({ refId: 'A', type: 'timeseries', run: '*', metric: 'loss' });
    expect(onChange).not.toHaveBeenCalled(); // nothing to fill
    const options = await openPicker('Run');
    expect(options.map((o) => o.replace(/(all|variable)$/, ''))).toEqual([
      '*',
      '$run',
      'dpo-llama3-8b',
      'ppo-llama3-8b',
    ]);
    await act(async () => {
      fireEvent.click(screen.getAllByRole('option')[3]);
    });
    expect(lastChange(onChange)).toEqual({ refId: 'A', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'loss' });
  });

  test('metric names follow the chosen run, and a typed pattern is accepted', async () => {
    const { onChange } = await setup({ refId: 'A', type: 'timeseries', run: 'ppo-llama3-8b', metric: 'loss' });
    const sent = backend.requests.map((r) => r.data.queries[0]);
    expect(sent).toContainEqual({ refId: 'catalog', type: 'catalog', of: 'metrics', run: 'ppo-llama3-8b' });
    expect(backend.requests[0].url).toBe('/api/datasources/proxy/uid/ds1/api/api/v1/query');
    const input = screen.getByRole('combobox', { name: 'Metric' });
    await act(async () => {
      fireEvent.change(input, { target: { value: 'objective/*' } });
    });
    const custom = (await screen.findAllByRole('option')).find((o) => o.textContent?.includes('Use custom value'));
    expect(custom?.textContent).toContain('objective/*');
    await act(async () => {
      fireEvent.click(custom!);
    });
    expect(lastChange(onChange)).toMatchObject({ metric: 'objective/*' });
  });

  test('x axis and phase are emitted', async () => {
    const { onChange } = await setup({ refId: 'A', type: 'timeseries', run: '*', metric: 'loss' });
    fireEvent.click(screen.getByLabelText('Step'));
    expect(lastChange(onChange)).toMatchObject({ x: 'step' });
    await pick('Phase', 'evaluation');
    expect(lastChange(onChange)).toMatchObject({ phase: 'evaluation' });
  });
});

test('calibration: model from the catalog, bins, binning and interval', async () => {
  const { onChange } = await setup({ refId: 'B', type: 'calibration', model: '', bins: 10, binning: 'uniform' });
  expect(onChange).toHaveBeenCalledWith({
    refId: 'B',
    type: 'calibration',
    model: 'reward-model',
    bins: 10,
    binning: 'uniform',
  });
  expect(screen.getByRole('combobox', { name: 'Model' })).toBeInTheDocument();
  expect(screen.queryByRole('combobox', { name: 'Run' })).not.toBeInTheDocument();

  const bins = screen.getByLabelText('Bins');
  fireEvent.change(bins, { target: { value: '15' } });
  expect(onChange).toHaveBeenCalledTimes(1); // not on every keystroke
  fireEvent.blur(bins);
  expect(lastChange(onChange)).toMatchObject({ bins: 15 });

  fireEvent.click(screen.getByLabelText('Equal mass'));
  expect(lastChange(onChange)).toMatchObject({ binning: 'quantile' });

  const interval = screen.getByLabelText('Interval');
  fireEvent.change(interval, { target: { value: '1d' } });
  fireEvent.keyDown(interval, { key: 'Enter' });
  expect(lastChange(onChange)).toMatchObject({ interval: '1d' });
});

test('drift: feature, reference and current sources from the catalog', async () => {
  const { onChange } = await setup({ refId: 'C', type: 'drift' });
  expect(onChange).toHaveBeenCalledWith({
    refId: 'C',
    type: 'drift',
    feature: 'category',
    reference: 'training',
    current: 'production',
  });
  for (const label of ['Feature', 'Reference', 'Current']) {
    expect(screen.getByRole('combobox', { name: label })).toBeInTheDocument();
  }
  expect(await openPicker('Feature')).toEqual(['$runvariable', 'category', 'prompt_length', 'response_length']);
  await act(async () => {
    fireEvent.click(screen.getByRole('option', { name: 'response_length' }));
  });
  expect(lastChange(onChange)).toMatchObject({ feature: 'response_length' });
});

test('agreement: dataset from the catalog, and the alpha level', async () => {
  const { onChange } = await setup({ refId: 'D', type: 'agreement', dataset: '' });
  expect(onChange).toHaveBeenCalledWith({ refId: 'D', type: 'agreement', dataset: 'prefs-helpfulness' });
  await pick('Dataset', 'prefs-safety');
  expect(lastChange(onChange)).toEqual({ refId: 'D', type: 'agreement', dataset: 'prefs-safety' });
  fireEvent.click(screen.getByLabelText('Ordinal'));
  expect(lastChange(onChange)).toEqual({ refId: 'D', type: 'agreement', dataset: '', level: 'ordinal' });
});

test('events: tags and phase, no catalog needed', async () => {
  const { onChange } = await setup({ refId: 'E', type: 'events', tags: [] });
  expect(backend.requests).toHaveLength(0);
  const tags = screen.getByPlaceholderText('New tag (enter key to add)');
  fireEvent.change(tags, { target: { value: 'incident' } });
  fireEvent.keyDown(tags, { key: 'Enter' });
  expect(lastChange(onChange)).toEqual({ refId: 'E', type: 'events', tags: ['incident'] });
});

test('catalog: which names, and a run filter for metrics', async () => {
  const { onChange, view } = await setup({ refId: 'F', type: 'catalog', of: 'runs' });
  expect(screen.queryByRole('combobox', { name: 'Run' })).not.toBeInTheDocument();
  fireEvent.click(screen.getByLabelText('metrics'));
  expect(lastChange(onChange)).toEqual({ refId: 'F', type: 'catalog', of: 'metrics' });
  view.rerender(
    <QueryEditor query={lastChange(onChange)} datasource={dataSource()} onChange={onChange} onRunQuery={jest.fn()} />
  );
  expect(screen.getByRole('combobox', { name: 'Run' })).toBeInTheDocument();
});

test('status: no fields', async () => {
  const { onChange } = await setup({ refId: 'G', type: 'status' });
  expect(screen.queryAllByRole('combobox')).toHaveLength(0);
  expect(screen.getByText(/One row per phase/)).toBeInTheDocument();
  expect(onChange).not.toHaveBeenCalled();
});

test('health: the run, defaulting to the first catalog run, and its options', async () => {
  const { onChange } = await setup({ refId: 'H', type: 'health', run: '' });
  expect(onChange).toHaveBeenCalledWith({ refId: 'H', type: 'health', run: 'dpo-llama3-8b' });
  expect(screen.queryByRole('combobox', { name: 'Metric' })).not.toBeInTheDocument();
  const smoothing = screen.getByLabelText('Smoothing');
  fireEvent.change(smoothing, { target: { value: '0.9' } });
  fireEvent.blur(smoothing);
  expect(lastChange(onChange)).toEqual({ refId: 'H', type: 'health', run: '', smoothing: 0.9 });
});

test('switching type keeps refId and datasource and starts from the new type defaults', async () => {
  const datasource = { type: 'humain-rlhf-datasource', uid: 'ds1' };
  const { onChange, onRunQuery } = await setup({
    refId: 'A',
    datasource,
    type: 'timeseries',
    run: 'ppo-llama3-8b',
    metric: 'loss',
  });
  const picker = screen.getByText('Query type').closest('div')!.parentElement!;
  fireEvent.click(within(picker).getByLabelText('Drift'));
  expect(lastChange(onChange)).toEqual({
    refId: 'A',
    datasource,
    hide: undefined,
    type: 'drift',
    feature: '',
    reference: 'training',
    current: 'production',
  });
  await waitFor(() => expect(onRunQuery).toHaveBeenCalled());
});
