// The dashboard host page, served at /d/<uid>?theme=light|dark&from=now-7d&to=now&var-<name>=<value> (Grafana's
// own URL conventions). It boots like Grafana's frontend does for plugins: read the frontend settings (data
// sources and panels of the installed app), install backendSrv/templateSrv/dataSourceSrv into @grafana/runtime,
// load the BUILT module.js files through the AMD loader of the panel host (e2e/host), create the data source
// from its provisioned settings, resolve the dashboard's variables, and render every panel.
import '../../host/index';
import {
  createTheme,
  type DataSourceApi,
  type DataSourceInstanceSettings,
  type DataSourcePlugin,
  type PanelPlugin,
  rangeUtil,
  type TimeRange,
  toDataFrame,
} from '@grafana/data';
import { config, setBackendSrv, setDataSourceSrv, setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles, ThemeContext } from '@grafana/ui';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { firstValueFrom, from, lastValueFrom } from 'rxjs';
import { createBackendSrv, requestLog } from './backendSrv';
import { registerStandardFieldConfigs } from './fieldConfig';
import { type AnnotationReport, type DashboardControls, type DashboardJson, DashboardView } from './DashboardView';
import { flattenPanels } from './panelKinds';
import type { PanelReport } from './PanelView';
import { HostPrometheus } from './prometheus';
import { resolveVariables } from './variables';
import { HostTemplateSrv } from './templateSrv';

export interface FrontendSettings {
  appId: string;
  appModule: string;
  datasources: Record<string, DataSourceInstanceSettings & { module: string }>;
  panels: Record<string, { id: string; name: string; module: string }>;
}

declare global {
  interface Window {
    RLHFDash: ReturnType<typeof createApi>;
  }
}

const reports = new Map<number, PanelReport>();
/** Non-row panels of the dashboard: the test waits until every one of them has reported. */
let expectedPanels = Number.POSITIVE_INFINITY;
let generation = 0;
let controls: DashboardControls | undefined;
let annotationReports: AnnotationReport[] = [];

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) {
    throw new Error(`${url}: ${res.status} ${await res.text()}`);
  }
  return (await res.json()) as T;
}

function settled(gen: number): boolean {
  const all = [...reports.values()];
  return all.length >= expectedPanels && all.every((r) => r.generation >= gen && r.state !== 'loading');
}

/** Resolves with every panel's report once all panels have finished the given generation. */
function waitForPanels(gen = generation, timeoutMs = 20_000): Promise<PanelReport[]> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (settled(gen) && annotationReports.every((a) => a.generation >= gen && a.state !== 'loading')) {
        resolve([...reports.values()].sort((a, b) => a.id - b.id));
      } else if (performance.now() - t0 > timeoutMs) {
        const pending = [...reports.values()].filter((r) => r.generation < gen || r.state === 'loading');
        reject(new Error(`panels still loading after ${timeoutMs} ms: ${pending.map((r) => r.title).join(', ')}`));
      } else {
        setTimeout(tick, 10);
      }
    };
    tick();
  });
}

function createApi(
  ds: DataSourceApi,
  templateSrv: HostTemplateSrv,
  dashboard: DashboardJson,
  timings: Record<string, number>
) {
  return {
    uid: dashboard.uid,
    title: dashboard.title,
    timings,
    requests: requestLog,
    get generation() {
      return generation;
    },
    panels: () => [...reports.values()].sort((a, b) => a.id - b.id),
    annotations: () => annotationReports,
    variables: () => templateSrv.list().map((v) => ({ name: v.name, current: v.current, options: v.options })),
    waitForPanels,
    setVariable: (name: string, value: string) => waitForPanels(controls!.setVariable(name, value)),
    setTimeRange: (from: string, to: string) => waitForPanels(controls!.setTimeRange(from, to)),
    testDatasource: () => ds.testDatasource(),
  };
}

async function runAnnotations(
  ds: DataSourceApi,
  dashboard: DashboardJson,
  range: TimeRange,
  gen: number
): Promise<AnnotationReport[]> {
  const list = (dashboard.annotations?.list ?? []).filter(
    (a) => a.enable !== false && (a.datasource as { uid?: string } | undefined)?.uid === ds.uid
  );
  annotationReports = list.map((a) => ({ name: String(a.name), state: 'loading', generation: gen }));
  annotationReports = await Promise.all(
    list.map(async (a): Promise<AnnotationReport> => {
      const name = String(a.name);
      try {
        // Grafana's annotation flow for data sources with `annotations` support: prepare, query, processEvents.
        const support = ds.annotations!;
        const anno = (support.prepareAnnotation ? support.prepareAnnotation(a as never) : a) as Record<string, any>;
        const target = { refId: 'Anno', ...(anno.target ?? {}) };
        const res = await lastValueFrom(
          from(
            ds.query({
              targets: [target],
              range,
              rangeRaw: range.raw,
              app: 'dashboard',
              requestId: `anno-${name}`,
              timezone: 'utc',
              interval: '1m',
              intervalMs: 60_000,
              scopedVars: {},
              startTime: Date.now(),
            } as never) as Promise<any>
          )
        );
        if (res.errors?.length) {
          return {
            name,
            state: 'error',
            error: res.errors.map((e: { message?: string }) => e.message).join('; '),
            generation: gen,
          };
        }
        const frames = (res.data ?? []).map((d: unknown) => toDataFrame(d));
        const events = support.processEvents
          ? await firstValueFrom(support.processEvents(anno as never, frames))
          : frames;
        return { name, state: 'done', count: (events ?? []).length, generation: gen };
      } catch (e) {
        return { name, state: 'error', error: e instanceof Error ? e.message : String(e), generation: gen };
      }
    })
  );
  return annotationReports;
}

async function boot(): Promise<void> {
  const t0 = performance.now();
  // What Grafana core registers at start-up, before any panel runs applyFieldOverrides.
  registerStandardFieldConfigs();
  const timings: Record<string, number> = {};
  // Milliseconds since navigation: `script` is when host.js had loaded and run (download + parse of the bundle).
  timings.script = Math.round(t0);
  const mark = (k: string) => (timings[k] = Math.round(performance.now()));
  const params = new URLSearchParams(window.location.search);
  const uid = decodeURIComponent(window.location.pathname.split('/')[2] ?? '');
  const mode = params.get('theme') === 'dark' ? 'dark' : 'light';
  const theme = createTheme({ colors: { mode } });
  config.theme2 = theme;
  (config as unknown as { theme: unknown }).theme = theme.v1;
  window.RLHFHost.setPageTheme(mode);

  const [settings, dashboardReply] = await Promise.all([
    json<FrontendSettings>('/api/frontend/settings'),
    json<{ dashboard: DashboardJson }>(`/api/dashboards/uid/${encodeURIComponent(uid)}`),
  ]);
  const dashboard = dashboardReply.dashboard;
  mark('settings');

  // The app module first (Grafana loads it at start), then the data sources and the panels this dashboard uses.
  const app = await window.RLHFHost.loadModule(settings.appModule);
  if (!app.plugin) {
    throw new Error(`${settings.appModule} exports no "plugin"`);
  }
  // Our data source (a plugin module); Prometheus, when provisioned and running, is the host's own client.
  const dsSettings = Object.values(settings.datasources).find((d) => d.module)!;
  const promSettings = Object.values(settings.datasources).find((d) => d.type === 'prometheus');
  const dsModule = await window.RLHFHost.loadModule(dsSettings.module);
  const dsPlugin = dsModule.plugin as DataSourcePlugin<DataSourceApi> | undefined;
  // DataSourcePlugin keeps the class as `DataSourceClass`; Grafana's datasource_srv does `new DataSourceClass(settings)`.
  if (!dsPlugin?.DataSourceClass) {
    throw new Error(`${dsSettings.module} exports no DataSourcePlugin "plugin"`);
  }
  const used = new Set(dashboard.panels.flatMap((p) => [p.type, ...(p.panels ?? []).map((c) => c.type)]));
  const panelPlugins = new Map<string, PanelPlugin>();
  for (const meta of Object.values(settings.panels)) {
    if (used.has(meta.id)) {
      const mod = await window.RLHFHost.loadModule(meta.module);
      if (!mod.plugin) {
        throw new Error(`${meta.module} exports no PanelPlugin "plugin"`);
      }
      panelPlugins.set(meta.id, mod.plugin as PanelPlugin);
    }
  }
  mark('modules');

  const ds = new dsPlugin.DataSourceClass(dsSettings);
  const prometheus = promSettings ? new HostPrometheus(promSettings) : undefined;
  const others: Record<string, DataSourceApi> = prometheus
    ? { [prometheus.uid]: prometheus as unknown as DataSourceApi }
    : {};
  const templateSrv = new HostTemplateSrv([]);
  setBackendSrv(createBackendSrv());
  setTemplateSrv(templateSrv);
  setDataSourceSrv({
    get: async (ref?: unknown) => others[typeof ref === 'string' ? ref : ((ref as { uid?: string })?.uid ?? '')] ?? ds,
    getList: () => [dsSettings, ...(promSettings ? [promSettings] : [])],
    getInstanceSettings: (ref: unknown) =>
      promSettings && (ref === promSettings.uid || (ref as { uid?: string } | null)?.uid === promSettings.uid)
        ? promSettings
        : ref === undefined ||
            ref === null ||
            ref === dsSettings.uid ||
            (ref as { uid?: string }).uid === dsSettings.uid
          ? dsSettings
          : undefined,
    reload: async () => {},
    registerRuntimeDataSource: () => {},
  } as never);

  const initialRange = {
    from: params.get('from') ?? dashboard.time?.from ?? 'now-6h',
    to: params.get('to') ?? dashboard.time?.to ?? 'now',
  };
  const range = rangeUtil.convertRawToRange(initialRange);
  templateSrv.updateTimeRange(range);
  const { variables, errors } = await resolveVariables(dashboard.templating?.list ?? [], ds, range, params, others);
  variables.forEach((v) => templateSrv.list().push(v));
  mark('variables');
  if (errors.length) {
    document.body.dataset.variableErrors = errors.join('\n');
  }

  expectedPanels = flattenPanels(dashboard.panels).filter((p) => p.type !== 'row').length;
  window.RLHFDash = createApi(ds, templateSrv, dashboard, timings);
  const width = Math.max(800, window.innerWidth - 32);
  createRoot(document.getElementById('root')!).render(
    <ThemeContext.Provider value={theme}>
      {/* Grafana's own page styles (fonts, buttons inherit colour, ...), which its core panels assume. */}
      <GlobalStyles />
      <DashboardView
        dashboard={dashboard}
        ds={ds}
        others={others}
        panelPlugins={panelPlugins}
        templateSrv={templateSrv}
        theme={theme}
        width={width}
        initialRange={initialRange}
        reports={reports}
        onGeneration={(g) => (generation = Math.max(generation, g))}
        onControls={(c) => (controls = c)}
        runAnnotations={(r, g) => runAnnotations(ds, dashboard, r, g)}
      />
    </ThemeContext.Provider>
  );
  await waitForPanels(1).catch(() => undefined);
  mark('panels');
  document.documentElement.dataset.dashboardReady = 'true';
}

boot().catch((e: unknown) => {
  const message = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
  document.documentElement.dataset.bootError = message;
  const el = document.createElement('pre');
  el.dataset.testid = 'boot-error';
  el.textContent = `The dashboard host failed to start:\n${message}`;
  document.body.appendChild(el);
});
