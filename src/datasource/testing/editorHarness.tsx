// Editor tests render an editor the way Grafana's panel editor drives it: every onChange becomes the next
// `query` prop, and onRunQuery counts runs. The data source talks to `catalogBackendSrv` (the service's frame
// format) so pickers fill from real-looking catalog answers.
import React, { useState } from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import type { Catalog } from '../catalogDefaults';
import { QueryEditor } from '../components/QueryEditor';
import { DataSource } from '../datasource';
import type { RlhfOptions, RlhfQuery } from '../types';
import { catalogBackendSrv } from './catalogBackendSrv';
import { customVariable, SimpleTemplateSrv } from './templateSrv';

export const CATALOG: Catalog = {
  runs: ['annotation-pipeline', 'dpo-llama3-8b', 'ppo-llama3-8b'],
  metrics: ['loss', 'objective/kl', 'objective/rlhf_reward'],
  models: ['reward-model', 'reward-model-v2'],
  datasets: ['prefs-helpfulness', 'prefs-safety'],
  features: ['category', 'prompt_length', 'response_length'],
  sources: ['production', 'training'],
};

export function dataSource(): DataSource {
  return new DataSource({
    uid: 'ds1',
    url: '/api/datasources/proxy/uid/ds1',
    jsonData: { url: 'http://127.0.0.1:8400' },
    meta: { id: 'humain-rlhf-datasource' },
  } as unknown as DataSourceInstanceSettings<RlhfOptions>);
}

/** Install the catalog backend (runs with training data: `trainingRuns`) and a `$run` dashboard variable. */
export function installBackend(catalog: Catalog = CATALOG, trainingRuns = ['dpo-llama3-8b', 'ppo-llama3-8b']) {
  const backend = catalogBackendSrv(catalog, { training: trainingRuns });
  setBackendSrv(backend);
  setTemplateSrv(new SimpleTemplateSrv([customVariable({ name: 'run', current: ['ppo-llama3-8b'] })]));
  return backend;
}

export const settle = () =>
  act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });

type EditorComponent = React.ComponentType<{
  query: RlhfQuery;
  datasource: DataSource;
  onChange: (q: RlhfQuery) => void;
  onRunQuery: () => void;
}>;

/** Render an editor (default: the query editor shell); returns the emitted queries and the run count. */
export async function renderEditor(initial: RlhfQuery, Editor: EditorComponent = QueryEditor) {
  const ds = dataSource();
  const changes: RlhfQuery[] = [];
  let runs = 0;
  let current = initial;
  // Grafana's panel editor: the query lives in the parent's state; onChange replaces it.
  function Host() {
    const [query, setQuery] = useState(initial);
    return (
      <Editor
        query={query}
        datasource={ds}
        onChange={(q) => {
          changes.push(q);
          current = q;
          setQuery(q);
        }}
        onRunQuery={() => runs++}
      />
    );
  }
  const view = render(<Host />);
  await settle();
  return { changes, runs: () => runs, query: () => current, view };
}

/** Open a picker by its label and return the option texts. */
export async function openPicker(label: string): Promise<string[]> {
  const input = screen.getByRole('combobox', { name: new RegExp(`^${label}( \\*)?$`) });
  await act(async () => {
    fireEvent.click(input);
  });
  const options = await screen.findAllByRole('option');
  return options.map((o) => o.textContent ?? '');
}

export async function pick(label: string, option: string) {
  await openPicker(label);
  const match = screen.getAllByRole('option').find((o) => o.textContent?.startsWith(option));
  if (!match) {
    throw new Error(`no option ${option} in ${label}`);
  }
  await act(async () => {
    fireEvent.click(match);
  });
  // A list picker keeps its menu open for more choices: close it as a user moving on would (only then: Escape on
  // a closed clearable picker would clear it).
  const input = screen.getByRole('combobox', { name: new RegExp(`^${label}( \\*)?$`) });
  if (input.getAttribute('aria-expanded') === 'true') {
    await act(async () => {
      fireEvent.keyDown(input, { key: 'Escape' });
    });
  }
  await settle();
}

/** Type into a picker and press Enter (a pattern, or a name not in the list). */
export async function typeAndEnter(label: string, text: string) {
  const input = screen.getByRole('combobox', { name: new RegExp(`^${label}( \\*)?$`) });
  await act(async () => {
    fireEvent.click(input);
  });
  await act(async () => {
    fireEvent.change(input, { target: { value: text } });
  });
  await act(async () => {
    fireEvent.keyDown(input, { key: 'Enter' });
  });
  await settle();
}

/** Type into a text/number input and commit it (blur). */
export async function commit(label: string | RegExp, text: string) {
  const input = screen.getByLabelText(label);
  await act(async () => {
    fireEvent.change(input, { target: { value: text } });
    fireEvent.blur(input);
  });
  await settle();
}
