// Browser host for the BUILT panel bundles: provides Grafana's shared packages as AMD modules (what Grafana's
// SystemJS loader does for plugins), loads dist/panels/<x>/module.js and renders its PanelPlugin with frames.
// Reused by the dashboard e2e harness: everything goes through window.RLHFHost.
import * as React from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import * as ReactDOM from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import * as grafanaData from '@grafana/data';
import * as grafanaUi from '@grafana/ui';
import * as grafanaRuntime from '@grafana/runtime';
import * as emotionCss from '@emotion/css';
import * as emotionReact from '@emotion/react';
import * as rxjs from 'rxjs';
import lodash from 'lodash';
import {
  createTheme,
  type DataFrame,
  dataFrameFromJSON,
  dateTime,
  EventBusSrv,
  LoadingState,
  type PanelData,
  type PanelPlugin,
  type PanelProps,
  ThemeContext,
  toDataFrame,
} from '@grafana/data';
import { PanelChrome } from '@grafana/ui';
import { registerStubOptionEditors } from '../../src/panels/shared/optionEditors';

/** The module ids Grafana shares with plugins (see .config/bundler/externals.ts). */
const SHARED: Record<string, unknown> = {
  react: React,
  'react/jsx-runtime': jsxRuntime,
  'react-dom': ReactDOM,
  '@grafana/data': grafanaData,
  '@grafana/ui': grafanaUi,
  '@grafana/runtime': grafanaRuntime,
  '@emotion/css': emotionCss,
  '@emotion/react': emotionReact,
  rxjs,
  lodash,
};

type Factory = (...deps: unknown[]) => unknown;
const loaded = new Map<string, Promise<Record<string, unknown>>>();
let pendingDefine: { deps: string[]; factory: Factory } | null = null;

/** Minimal AMD `define`: webpack's `library: { type: 'amd' }` output calls define([deps], factory). */
function define(a: unknown, b?: unknown, c?: unknown) {
  const [deps, factory] = typeof a === 'string' ? [b, c] : Array.isArray(a) ? [a, b] : [[], a];
  pendingDefine = { deps: deps as string[], factory: factory as Factory };
}
(define as unknown as { amd: object }).amd = {};

function loadModule(url: string): Promise<Record<string, unknown>> {
  const abs = new URL(url, window.location.href).href;
  let p = loaded.get(abs);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = abs;
      script.onload = () => {
        const def = pendingDefine;
        pendingDefine = null;
        if (!def) {
          reject(new Error(`${abs} did not call define()`));
          return;
        }
        const missing = def.deps.filter((d) => d !== 'module' && d !== 'exports' && d !== 'require' && !(d in SHARED));
        if (missing.length) {
          reject(new Error(`${abs} needs modules the host does not share: ${missing.join(', ')}`));
          return;
        }
        const exportsObj: Record<string, unknown> = {};
        const args = def.deps.map((d) =>
          d === 'module'
            ? { uri: abs, id: abs }
            : d === 'exports'
              ? exportsObj
              : d === 'require'
                ? undefined
                : SHARED[d]
        );
        const result = def.factory(...args);
        resolve((result ?? exportsObj) as Record<string, unknown>);
      };
      script.onerror = () => reject(new Error(`could not load ${abs}`));
      document.head.appendChild(script);
    });
    loaded.set(abs, p);
  }
  return p;
}

/** A frame as JSON: Grafana's wire format ({schema, data}) or the simple {name, refId, fields:[{name, values}]}. */
export type FrameInput = Record<string, unknown>;

export interface RenderOptions {
  frames: FrameInput[];
  options?: Record<string, unknown>;
  /** Size of the whole panel including its title bar, as on a dashboard grid. */
  width: number;
  height: number;
  theme?: 'light' | 'dark';
  title?: string;
  /** Query targets (e.g. drift targets carry `feature`). */
  targets?: Array<Record<string, unknown>>;
  /** Raw time range, default last 6 hours. */
  range?: { from: string; to: string };
  /** Where to render; default a new element appended to #root. */
  containerId?: string;
}

function toFrame(f: FrameInput): DataFrame {
  return 'schema' in f ? dataFrameFromJSON(f as unknown as grafanaData.DataFrameJSON) : toDataFrame(f);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Options = the plugin's builder defaults deep-merged with the given ones (Grafana does the same). */
function mergeOptions(defaults: Record<string, unknown>, given: Record<string, unknown> = {}) {
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(given)) {
    out[k] = isObject(v) && isObject(defaults[k]) ? mergeOptions(defaults[k] as Record<string, unknown>, v) : v;
  }
  return out;
}

const roots = new Map<string, Root>();
let counter = 0;

async function renderPanel(moduleUrl: string, o: RenderOptions): Promise<string> {
  const mod = await loadModule(moduleUrl);
  const plugin = mod.plugin as PanelPlugin | undefined;
  if (!plugin || !plugin.panel) {
    throw new Error(`${moduleUrl} exports no PanelPlugin "plugin"`);
  }
  const theme = createTheme({ colors: { mode: o.theme ?? 'light' } });
  const id = o.containerId ?? `panel-${++counter}`;
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement('div');
    el.id = id;
    el.className = 'host-cell';
    document.getElementById('root')!.appendChild(el);
  }
  el.style.width = `${o.width}px`;
  el.style.height = `${o.height}px`;
  el.style.background = theme.colors.background.canvas;
  el.style.padding = '0';

  const raw = o.range ?? { from: 'now-6h', to: 'now' };
  const now = dateTime();
  const timeRange = { from: dateTime(now.valueOf() - 6 * 3600_000), to: now, raw };
  const series = o.frames.map(toFrame);
  const data: PanelData = {
    series,
    state: LoadingState.Done,
    timeRange,
    request: o.targets ? ({ targets: o.targets, range: timeRange } as unknown as PanelData['request']) : undefined,
  };
  const options = mergeOptions(plugin.defaults as Record<string, unknown>, o.options);
  const Panel = plugin.panel as React.ComponentType<PanelProps>;

  let root = roots.get(id);
  if (!root) {
    root = createRoot(el);
    roots.set(id, root);
  }
  root.render(
    <ThemeContext.Provider value={theme}>
      <PanelChrome title={o.title ?? ''} width={o.width} height={o.height}>
        {(innerWidth, innerHeight) => (
          <Panel
            id={counter}
            data={data}
            timeRange={timeRange}
            timeZone="utc"
            options={options}
            transparent={false}
            width={innerWidth}
            height={innerHeight}
            fieldConfig={{ defaults: {}, overrides: [] }}
            renderCounter={0}
            title={o.title ?? ''}
            eventBus={new EventBusSrv()}
            onOptionsChange={() => {}}
            onFieldConfigChange={() => {}}
            replaceVariables={(s: string) => s}
            onChangeTimeRange={() => {}}
          />
        )}
      </PanelChrome>
    </ThemeContext.Provider>
  );
  // Let React commit and layout settle before callers screenshot.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return id;
}

function setPageTheme(mode: 'light' | 'dark') {
  const theme = createTheme({ colors: { mode } });
  document.body.style.background = theme.colors.background.canvas;
  document.body.style.color = theme.colors.text.primary;
  document.body.style.fontFamily = theme.typography.fontFamily;
}

function clear() {
  for (const r of roots.values()) {
    r.unmount();
  }
  roots.clear();
  document.getElementById('root')!.innerHTML = '';
}

const api = { renderPanel, loadModule, setPageTheme, clear, shared: Object.keys(SHARED), React };
declare global {
  interface Window {
    RLHFHost: typeof api;
    define: typeof define;
  }
}
// Grafana registers its option editors at boot; PanelPlugin.defaults needs them to exist.
registerStubOptionEditors();
window.define = define;
window.RLHFHost = api;
setPageTheme('light');
document.documentElement.dataset.hostReady = 'true';
