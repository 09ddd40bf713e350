// The app-pages host: /plugins/<app id>?theme=light|dark renders the app's configuration page, /a/<app id> its
// home page, from the BUILT module.js (loaded through the panel host's AMD loader, e2e/host), the way Grafana's
// frontend does: backendSrv talks to the stand-in Grafana API, and a data-source service built from
// /api/frontend/settings (reloadable, as Grafana's) creates data sources from their BUILT modules.
import '../../host/index';
import {
  type AppPlugin,
  type AppPluginMeta,
  createTheme,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  PluginType,
} from '@grafana/data';
import {
  config,
  type GetDataSourceListFilters,
  setBackendSrv,
  setDataSourceSrv,
  setTemplateSrv,
} from '@grafana/runtime';
import { ThemeContext } from '@grafana/ui';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { MemoryRouter } from 'react-router-dom';
import { createBackendSrv } from '../../dashboards/host/backendSrv';
import { HostTemplateSrv } from '../../dashboards/host/templateSrv';

type Settings = DataSourceInstanceSettings & { meta: DataSourceInstanceSettings['meta'] & { module?: string } };

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

/** Grafana's DatasourceSrv as plugins see it (public/app/features/plugins/datasource_srv.ts), over the stand-in. */
class HostDataSourceSrv {
  private byUid = new Map<string, Settings>();
  private instances = new Map<string, DataSourceApi>();
  private defaultName = '';

  async reload(): Promise<void> {
    const s = await json<{ datasources: Record<string, Settings>; defaultDatasource: string }>(
      '/api/frontend/settings'
    );
    this.byUid = new Map(Object.values(s.datasources).map((d) => [d.uid, d]));
    this.defaultName = s.defaultDatasource;
    this.instances.clear();
  }

  getInstanceSettings(ref?: string | { uid?: string } | null): Settings | undefined {
    const key = typeof ref === 'string' ? ref : ref?.uid;
    if (!key) {
      return [...this.byUid.values()].find((d) => d.name === this.defaultName);
    }
    return this.byUid.get(key) ?? [...this.byUid.values()].find((d) => d.name === key);
  }

  getList(filters: GetDataSourceListFilters = {}): Settings[] {
    return [...this.byUid.values()]
      .filter(
        (d) => !filters.type || (Array.isArray(filters.type) ? filters.type.includes(d.type) : filters.type === d.type)
      )
      .filter((d) => !filters.pluginId || d.meta.id === filters.pluginId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(ref?: string | { uid?: string } | null): Promise<DataSourceApi> {
    const settings = this.getInstanceSettings(ref);
    if (!settings) {
      throw new Error(`Datasource ${JSON.stringify(ref)} was not found`);
    }
    let ds = this.instances.get(settings.uid);
    if (!ds) {
      if (!settings.meta.module) {
        throw new Error(`the host has no module for data sources of type ${settings.type}`);
      }
      const mod = await window.RLHFHost.loadModule(settings.meta.module);
      const plugin = mod.plugin as DataSourcePlugin<DataSourceApi>;
      ds = new plugin.DataSourceClass(settings);
      this.instances.set(settings.uid, ds);
    }
    return ds;
  }

  registerRuntimeDataSource() {}
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const mode = params.get('theme') === 'dark' ? 'dark' : 'light';
  const theme = createTheme({ colors: { mode } });
  config.theme2 = theme;
  (config as unknown as { theme: unknown }).theme = theme.v1;
  window.RLHFHost.setPageTheme(mode);

  setBackendSrv(createBackendSrv());
  setTemplateSrv(new HostTemplateSrv([]));
  const dsSrv = new HostDataSourceSrv();
  await dsSrv.reload();
  setDataSourceSrv(dsSrv as never);

  const settings = await json<{ appModule: string }>('/api/frontend/settings');
  const appId = window.location.pathname.split('/')[2];
  const mod = await window.RLHFHost.loadModule(settings.appModule);
  const plugin = mod.plugin as AppPlugin | undefined;
  if (!plugin) {
    throw new Error(`${settings.appModule} exports no "plugin"`);
  }
  const stored = await json<{ enabled: boolean; pinned: boolean; jsonData: Record<string, unknown>; name: string }>(
    `/api/plugins/${appId}/settings`
  );
  const meta = {
    id: appId,
    name: stored.name,
    type: PluginType.app,
    enabled: stored.enabled,
    pinned: stored.pinned,
    jsonData: stored.jsonData,
    module: settings.appModule,
    baseUrl: `/public/plugins/${appId}`,
    info: {},
  } as unknown as AppPluginMeta;
  plugin.meta = meta;

  let page: React.ReactNode;
  if (window.location.pathname.startsWith('/plugins/')) {
    const Config = plugin.configPages?.find((p) => p.id === (params.get('page') ?? 'setup'))?.body;
    if (!Config) {
      throw new Error('the app has no configuration page "setup"');
    }
    page = <Config plugin={plugin} query={{}} />;
  } else {
    const Root = plugin.root;
    if (!Root) {
      throw new Error('the app has no root page');
    }
    page = <Root meta={meta} path={`/a/${appId}`} query={{}} basename={`/a/${appId}`} onNavChanged={() => {}} />;
  }
  // Grafana renders app pages inside its router; @grafana/ui's links need one.
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      <MemoryRouter initialEntries={[window.location.pathname + window.location.search]}>{page}</MemoryRouter>
    </ThemeContext.Provider>
  );
  document.documentElement.dataset.ready = 'true';
}

boot().catch((e: unknown) => {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  document.documentElement.dataset.bootError = message;
  const el = document.createElement('pre');
  el.textContent = `The app-pages host failed to start:\n${message}`;
  document.body.appendChild(el);
});
