// The editors host page, served at /editor?ds=<uid>&kind=query|config|variable|annotation&theme=light|dark&width=N
// &query=<JSON>. It boots like Grafana's frontend does for a data source: frontend settings, backendSrv and
// templateSrv into @grafana/runtime, the BUILT dist/datasource/module.js through the AMD loader of the panel host
// (e2e/host), then renders the requested editor of the plugin (QueryEditor, ConfigEditor, the variable support's
// editor, the annotation support's editor) in a box of the given width, the way Grafana's pages drive them:
// every onChange becomes the next props; onRunQuery runs the query through the data source, as the panel does.
import '../../host/index';
import {
  createTheme,
  type DataQueryResponse,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type DataSourceSettings,
  dateTime,
} from '@grafana/data';
import { config, setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import React, { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { createBackendSrv, requestLog } from '../../dashboards/host/backendSrv';
import { HostTemplateSrv } from '../../dashboards/host/templateSrv';

type Query = Record<string, unknown> & { refId: string };

/** What the test reads back: every query the editor emitted, every run, and what each run answered. */
const log = {
  changes: [] as Query[],
  runs: 0,
  /** Queries sent to the service by runs (catalog look-ups of the pickers are not runs). */
  results: [] as Array<{ query: Query; errors: string[]; frames: number }>,
  options: undefined as unknown,
  requests: requestLog,
  /** Requests of the page still waiting for an answer (the test waits for 0 before it looks). */
  pending: 0,
};
const pageFetch = window.fetch.bind(window);
window.fetch = async (...args: Parameters<typeof fetch>) => {
  log.pending++;
  try {
    return await pageFetch(...args);
  } finally {
    log.pending--;
  }
};
declare global {
  interface Window {
    RLHFEditors: typeof log & { query: () => Query | undefined; testDatasource: () => Promise<unknown> };
  }
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

let current: Query | undefined;

function QueryHost(props: { Editor: React.ComponentType<any>; ds: DataSourceApi; initial: Query; runs: boolean }) {
  const [query, setQuery] = useState(props.initial);
  useEffect(() => {
    current = query;
  }, [query]);
  const range = { from: dateTime().subtract(30, 'days'), to: dateTime(), raw: { from: 'now-30d', to: 'now' } };
  const run = async (q: Query) => {
    log.runs++;
    const res = (await props.ds.query({
      targets: [q],
      range,
      rangeRaw: range.raw,
      app: 'panel-editor',
      requestId: `run-${log.runs}`,
      timezone: 'utc',
      interval: '1m',
      intervalMs: 60_000,
      maxDataPoints: 500,
      scopedVars: {},
      startTime: Date.now(),
    } as never)) as DataQueryResponse;
    log.results.push({ query: q, errors: (res.errors ?? []).map((e) => e.message ?? ''), frames: res.data.length });
    document.documentElement.dataset.runs = String(log.results.length);
  };
  return (
    <props.Editor
      query={query}
      datasource={props.ds}
      range={range}
      onChange={(q: Query) => {
        log.changes.push(q);
        current = q;
        setQuery(q);
      }}
      onRunQuery={() => props.runs && run(current!)}
    />
  );
}

function ConfigHost(props: { Editor: React.ComponentType<any>; initial: DataSourceSettings }) {
  const [options, setOptions] = useState(props.initial);
  useEffect(() => {
    log.options = options;
  }, [options]);
  return <props.Editor options={options} onOptionsChange={setOptions} />;
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const mode = params.get('theme') === 'dark' ? 'dark' : 'light';
  const theme = createTheme({ colors: { mode } });
  config.theme2 = theme;
  (config as unknown as { theme: unknown }).theme = theme.v1;
  window.RLHFHost.setPageTheme(mode);

  const settings = await json<{ datasources: Record<string, DataSourceInstanceSettings & { module: string }> }>(
    '/api/frontend/settings'
  );
  const uid = params.get('ds') ?? 'rlhf';
  const dsSettings = Object.values(settings.datasources).find((d) => d.uid === uid);
  if (!dsSettings) {
    throw new Error(`no data source ${uid}`);
  }
  const mod = await window.RLHFHost.loadModule(dsSettings.module);
  const plugin = mod.plugin as DataSourcePlugin<DataSourceApi>;
  setBackendSrv(createBackendSrv());
  setTemplateSrv(
    new HostTemplateSrv([
      {
        name: 'run',
        type: 'query',
        current: 'ppo-llama3-8b',
        options: ['ppo-llama3-8b', 'dpo-llama3-8b'],
        multi: false,
        includeAll: false,
      },
    ])
  );
  const ds = new plugin.DataSourceClass(dsSettings);
  window.RLHFEditors = Object.assign(log, { query: () => current, testDatasource: () => ds.testDatasource() });

  const kind = params.get('kind') ?? 'query';
  const initial = JSON.parse(params.get('query') ?? '{"refId":"A"}') as Query;
  let element: React.ReactElement;
  if (kind === 'config') {
    // What Grafana's data source settings page hands the config editor (no secrets: only which are set).
    const dsJson = await json<DataSourceSettings>(`/api/datasources/uid/${uid}`);
    element = (
      <ConfigHost Editor={plugin.components.ConfigEditor!} initial={{ ...dsJson, ...(initial.options as object) }} />
    );
  } else if (kind === 'variable') {
    const support = ds.variables as { editor: React.ComponentType<any> };
    element = <QueryHost Editor={support.editor} ds={ds} initial={initial} runs={false} />;
  } else if (kind === 'annotation') {
    element = <QueryHost Editor={ds.annotations!.QueryEditor!} ds={ds} initial={initial} runs={false} />;
  } else {
    element = <QueryHost Editor={plugin.components.QueryEditor!} ds={ds} initial={initial} runs />;
  }
  const box = document.getElementById('root')!;
  box.style.width = `${Number(params.get('width') ?? 1200)}px`;
  box.style.padding = '16px';
  box.style.boxSizing = 'border-box';
  // Grafana's global styles (border-box sizing, fonts) are on every Grafana page: without them inputs are wider
  // than their fields.
  createRoot(box).render(
    <ThemeContext.Provider value={theme}>
      <GlobalStyles />
      {element}
    </ThemeContext.Provider>
  );
  document.documentElement.dataset.editorReady = 'true';
}

boot().catch((e: unknown) => {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  document.documentElement.dataset.bootError = message;
});
