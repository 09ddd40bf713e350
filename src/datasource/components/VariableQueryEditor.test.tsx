import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { DataSource } from '../datasource';
import { catalogBackendSrv } from '../testing/catalogBackendSrv';
import { installDomStubs } from '../testing/domStubs';
import { SimpleTemplateSrv } from '../testing/templateSrv';
import type { RlhfOptions } from '../types';
import { definitionOf, toVariableQuery, VariableQueryEditor } from './VariableQueryEditor';

const ds = () =>
  new DataSource({
    uid: 'ds1',
    url: '/api/datasources/proxy/uid/ds1',
    jsonData: { url: 'http://127.0.0.1:8400' },
  } as unknown as DataSourceInstanceSettings<RlhfOptions>);

beforeAll(installDomStubs);
beforeEach(() => {
  setBackendSrv(catalogBackendSrv({ runs: ['dpo-llama3-8b', 'ppo-llama3-8b'] }));
  setTemplateSrv(new SimpleTemplateSrv());
});

test('legacy string queries and definitions', () => {
  expect(toVariableQuery('models')).toEqual({ of: 'models' });
  expect(toVariableQuery('nonsense')).toEqual({ of: 'runs' });
  expect(toVariableQuery(undefined)).toEqual({ of: 'runs' });
  expect(definitionOf({ of: 'metrics', run: ['a', 'b'] })).toBe('metrics of a,b');
  expect(definitionOf({ of: 'datasets' })).toBe('datasets');
});

test('choosing the catalog kind, and a run filter for metrics', async () => {
  const onChange = jest.fn();
  const view = render(<VariableQueryEditor datasource={ds()} query={{ of: 'runs' }} onChange={onChange} />);
  expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
  fireEvent.click(screen.getByLabelText('metrics'));
  expect(onChange).toHaveBeenLastCalledWith({ of: 'metrics' }, 'metrics');

  view.rerender(<VariableQueryEditor datasource={ds()} query={{ of: 'metrics' }} onChange={onChange} />);
  await act(async () => {
    fireEvent.click(screen.getByRole('combobox', { name: 'Run' }));
  });
  const option = await screen.findByRole('option', { name: 'ppo-llama3-8b' });
  await act(async () => {
    fireEvent.click(option);
  });
  expect(onChange).toHaveBeenLastCalledWith({ of: 'metrics', run: 'ppo-llama3-8b' }, 'metrics of ppo-llama3-8b');
});
