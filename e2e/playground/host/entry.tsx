// The app-page host: Grafana's frontend as an app plugin's pages see it. It loads the BUILT app module through
// the panel host's AMD loader (e2e/host), gives it the app's settings as Grafana's plugin meta (jsonData and
// secureJsonFields, never secrets), installs backendSrv/dataSourceSrv, and renders
//   /a/<app id>[/...][?debug=chat]  the app's root page (AppRootProps), and
//   /plugins/<app id>               the app's configuration pages (PluginConfigPageProps).
// ?theme=dark|light picks the theme, ?login= the signed-in user (config.bootData.user.login).
import '../../host/index';
import { type AppPlugin, type AppPluginMeta, createTheme, type DataSourceInstanceSettings } from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv } from '@grafana/runtime';
import { ThemeContext } from '@grafana/ui';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { createBackendSrv } from '../../dashboards/host/backendSrv';
import type { FrontendSettings } from '../../dashboards/host/entry';

interface PluginSettingsDto {
  enabled: boolean;
  pinned: boolean;
  jsonData: Record<string, unknown>;
  secureJsonFields: Record<string, boolean>;
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

async function boot(): Promise<void> {
  const params = new URLSearchParams(window.location.search);
  const mode = params.get('theme') === 'dark' ? 'dark' : 'light';
  const theme = createTheme({ colors: { mode } });
  config.theme2 = theme;
  (config as unknown as { theme: unknown }).theme = theme.v1;
  window.RLHFHost.setPageTheme(mode);

  const settings = await json<FrontendSettings>('/api/frontend/settings');
  const appSettings = await json<PluginSettingsDto>(`/api/plugins/${settings.appId}/settings`);
  const mod = await window.RLHFHost.loadModule(settings.appModule);
  const plugin = mod.plugin as AppPlugin | undefined;
  if (!plugin?.root) {
    throw new Error(`${settings.appModule} exports no AppPlugin with a root page`);
  }
  const meta = {
    id: settings.appId,
    name: 'RLHF Pipeline Monitor',
    type: 'app',
    module: settings.appModule,
    baseUrl: `/public/plugins/${settings.appId}`,
    info: {},
    enabled: appSettings.enabled,
    pinned: appSettings.pinned,
    jsonData: appSettings.jsonData,
    secureJsonFields: appSettings.secureJsonFields,
  } as unknown as AppPluginMeta;
  // Grafana's importAppPlugin: plugin.init(meta), then plugin.meta = meta.
  plugin.init(meta);
  plugin.meta = meta;

  const datasources = Object.values(settings.datasources) as DataSourceInstanceSettings[];
  setBackendSrv(createBackendSrv());
  setDataSourceSrv({
    getList: () => datasources,
    getInstanceSettings: (ref: unknown) =>
      datasources.find((d) => ref === d.uid || (ref as { uid?: string } | undefined)?.uid === d.uid),
    get: async () => {
      throw new Error('the app host creates no data source instances');
    },
    reload: async () => {},
    registerRuntimeDataSource: () => {},
  } as never);

  const path = window.location.pathname;
  const Root = plugin.root;
  const body = path.startsWith('/plugins/') ? (
    <>
      {(plugin.configPages ?? []).map((p) => (
        <section key={p.id} aria-label={p.title}>
          <p.body plugin={plugin} query={{}} />
        </section>
      ))}
    </>
  ) : (
    <Root meta={meta} basename={`/a/${settings.appId}`} query={{}} path={path} onNavChanged={() => {}} />
  );
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>{body}</ThemeContext.Provider>
  );
  document.documentElement.dataset.appReady = 'true';
}

boot().catch((e: unknown) => {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  document.documentElement.dataset.bootError = message;
  const el = document.createElement('pre');
  el.textContent = `The app host failed to start:\n${message}`;
  document.body.appendChild(el);
});
