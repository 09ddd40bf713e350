// One dashboard panel: runs its queries when the dashboard's generation changes (variables, time range),
// renders it, and reports its state on the DOM (data-state) and to the dashboard for the test.
import {
  applyFieldOverrides,
  type DataFrame,
  type DataSourceApi,
  EventBusSrv,
  type FieldConfigSource,
  type GrafanaTheme2,
  LoadingState,
  type PanelData,
  type PanelPlugin,
  type PanelProps,
  type ScopedVars,
  type TimeRange,
} from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';
import { PanelChrome } from '@grafana/ui';
import { cloneDeep, merge } from 'lodash';
import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { displayNames, graphProblem, REDUCING_PANELS } from './builtinPanels';
import { CorePanel, DRAWN_PANELS, graphableFrames, reducedValues } from './CorePanel';
import { applyCoreFieldConfig } from './fieldConfig';
import { FramesTable } from './FramesTable';
import type { DashboardPanel, PanelKind } from './panelKinds';
import { runPanelQuery, type QueryOutcome } from './panelQuery';
import { summarize, type FramesSummary } from './summary';

export type PanelState = 'loading' | 'done' | 'error' | 'empty' | 'na';

export interface PanelReport {
  id: number;
  title: string;
  type: string;
  kind: 'plugin' | 'builtin' | 'na';
  state: PanelState;
  generation: number;
  error?: string;
  /** Why a panel is not applicable, or what an empty plugin panel says is missing. */
  reason?: string;
  summary?: FramesSummary;
  queryMs?: number;
  /** Time series only: frames with fields that the panel cannot draw (no time or no number field). */
  undrawnFrames?: number;
}

export interface PanelViewProps {
  panel: DashboardPanel;
  kind: Exclude<PanelKind, { kind: 'row' }>;
  plugin?: PanelPlugin;
  ds: DataSourceApi;
  range: TimeRange;
  generation: number;
  width: number;
  height: number;
  theme: GrafanaTheme2;
  templateSrv: TemplateSrv;
  dashboardUID: string;
  onReport: (r: PanelReport) => void;
}

class PanelErrorBoundary extends React.Component<
  { onError: (message: string) => void; children: React.ReactNode },
  { error?: string }
> {
  state: { error?: string } = {};
  static getDerivedStateFromError(e: unknown) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
  componentDidCatch(e: unknown) {
    this.props.onError(`panel crashed: ${e instanceof Error ? e.message : String(e)}`);
  }
  render() {
    return this.state.error ? (
      <div data-testid="panel-crash">Panel crashed: {this.state.error}</div>
    ) : (
      this.props.children
    );
  }
}

/** Grafana's getPanelOptionsWithDefaults, in short: the plugin's option defaults under the saved options. */
function optionsWithDefaults(plugin: PanelPlugin, saved?: Record<string, unknown>): Record<string, unknown> {
  return merge(cloneDeep(plugin.defaults ?? {}), saved ?? {});
}

export function PanelView(p: PanelViewProps) {
  const { panel, kind, plugin, ds, range, generation, width, height, theme, templateSrv } = p;
  const [outcome, setOutcome] = useState<{ generation: number; result: QueryOutcome } | undefined>();
  const [pluginState, setPluginState] = useState<{ generation: number; state: PanelState; reason?: string }>();
  const ref = useRef<HTMLDivElement>(null);
  const title = templateSrv.replace(panel.title ?? '');

  useEffect(() => {
    if (kind.kind === 'na') {
      return;
    }
    let live = true;
    runPanelQuery(ds, panel, { range, width, dashboardUID: p.dashboardUID }).then((result) => {
      if (live) {
        setOutcome({ generation, result });
      }
    });
    return () => {
      live = false;
    };
    // generation stands for every input of the query (variables, time range).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [generation]);

  const current = outcome?.generation === generation ? outcome.result : undefined;

  const fieldConfig: FieldConfigSource = useMemo(
    () => ({
      defaults: panel.fieldConfig?.defaults ?? {},
      overrides: (panel.fieldConfig?.overrides ?? []) as FieldConfigSource['overrides'],
    }),
    [panel]
  );
  const series: DataFrame[] = useMemo(() => {
    if (!current || !plugin) {
      return current?.frames ?? [];
    }
    try {
      return applyFieldOverrides({
        data: current.frames,
        fieldConfig,
        fieldConfigRegistry: plugin.fieldConfigRegistry,
        replaceVariables: (s: string, vars?: ScopedVars, format?: string | Function) =>
          templateSrv.replace(s, vars, format as never),
        theme,
        timeZone: 'utc',
      });
    } catch {
      return current.frames;
    }
  }, [current, plugin, fieldConfig, templateSrv, theme]);

  const replace = useCallback((x: string, vars?: ScopedVars) => templateSrv.replace(x, vars), [templateSrv]);
  // A core panel: its frames through Grafana's field-config pipeline, judged by what Grafana would draw
  // (reduced values for stat-like panels, field checks for graphs).
  const builtin = useMemo((): { problem?: string; frames?: DataFrame[]; dropped?: number } => {
    if (kind.kind !== 'builtin' || !current || current.state !== 'done') {
      return {};
    }
    const frames = applyCoreFieldConfig(panel.type, current.frames, fieldConfig, theme, replace);
    if (REDUCING_PANELS.has(panel.type)) {
      const values = reducedValues({
        type: panel.type,
        frames,
        options: panel.options ?? {},
        fieldConfig,
        theme,
        replaceVariables: replace,
      });
      // createNoValuesFieldDisplay: the one placeholder value, named "No data", with no column behind it.
      const noData =
        values.length === 0 ||
        (values.length === 1 && values[0].name === 'No data' && values[0].colIndex === undefined);
      const fields = (panel.options?.reduceOptions as { fields?: string } | undefined)?.fields;
      return noData
        ? {
            frames,
            problem:
              `${panel.type} shows No data: reduceOptions.fields ${fields || '(numeric fields)'} matched no value; ` +
              `display names are: ${displayNames(current.frames).join(', ')}`,
          }
        : { frames };
    }
    // Frames with fields that a time series cannot draw: the query hands the panel data it does not show.
    const dropped =
      panel.type === 'timeseries'
        ? frames.filter((f) => f.fields.length > 0).length - graphableFrames(frames).length
        : undefined;
    return { frames, problem: graphProblem(panel.type, current.frames), dropped };
  }, [kind.kind, current, panel, fieldConfig, theme, replace]);

  // A plugin panel decides itself whether it can draw the data: read its shared empty state after commit.
  useLayoutEffect(() => {
    if (kind.kind !== 'plugin' || !current || current.state !== 'done') {
      return;
    }
    const empty = ref.current?.querySelector('[data-testid="humain-empty"]');
    const crashed = ref.current?.querySelector('[data-testid="panel-crash"]');
    if (crashed) {
      setPluginState({ generation, state: 'error', reason: crashed.textContent ?? 'crashed' });
    } else {
      setPluginState({ generation, state: empty ? 'empty' : 'done', reason: empty?.textContent ?? undefined });
    }
  }, [kind.kind, current, generation]);

  let state: PanelState;
  let reason: string | undefined;
  if (kind.kind === 'na') {
    state = 'na';
    reason = kind.reason;
  } else if (!current) {
    state = 'loading';
  } else if (kind.kind === 'plugin' && current.state === 'done') {
    state = pluginState?.generation === generation ? pluginState.state : 'loading';
    reason = pluginState?.reason;
  } else if (pluginState?.generation === generation && pluginState.state === 'error') {
    // A core panel that crashed while drawing (caught by its error boundary).
    state = 'error';
    reason = pluginState.reason;
  } else if (builtin.problem) {
    state = 'empty';
    reason = builtin.problem;
  } else {
    state = current.state;
  }

  const { onReport } = p;
  useEffect(() => {
    onReport({
      id: panel.id,
      title,
      type: panel.type,
      kind: kind.kind,
      state,
      generation,
      error: state === 'error' ? (current?.error ?? reason) : undefined,
      reason,
      summary: current ? summarize(current.frames) : undefined,
      queryMs: current?.ms,
      undrawnFrames: builtin.dropped,
    });
  }, [onReport, panel, title, kind.kind, state, generation, current, reason, builtin.dropped]);

  const timeRange = current?.timeRange ?? range;
  return (
    <div
      ref={ref}
      data-testid="dashboard-panel"
      data-panel-id={panel.id}
      data-panel-title={title}
      data-panel-type={panel.type}
      data-kind={kind.kind}
      data-state={state}
      data-generation={generation}
      data-error={state === 'error' ? (current?.error ?? reason) : undefined}
      style={{ width, height }}
    >
      <PanelChrome
        title={title}
        description={panel.description}
        width={width}
        height={height}
        loadingState={state === 'loading' ? LoadingState.Loading : undefined}
        statusMessage={state === 'error' ? (current?.error ?? reason) : undefined}
      >
        {(innerWidth: number, innerHeight: number) => {
          if (kind.kind === 'na') {
            return (
              <div data-testid="panel-na" style={{ color: theme.colors.text.secondary, fontSize: 12, padding: 4 }}>
                {kind.reason}
              </div>
            );
          }
          if (!current) {
            return null;
          }
          if (current.state === 'error') {
            return (
              <div
                data-testid="panel-error"
                style={{ color: theme.colors.error.text, fontSize: 12, whiteSpace: 'pre-wrap' }}
              >
                {current.error}
              </div>
            );
          }
          if (kind.kind === 'builtin') {
            if (current.state === 'empty' || builtin.problem) {
              return (
                <div data-testid="panel-empty" style={{ color: theme.colors.text.secondary }}>
                  {builtin.problem ?? 'No data'}
                </div>
              );
            }
            return DRAWN_PANELS.has(panel.type) ? (
              <div data-testid="core-panel" style={{ width: innerWidth, height: innerHeight }}>
                <PanelErrorBoundary onError={(m) => setPluginState({ generation, state: 'error', reason: m })}>
                  <CorePanel
                    type={panel.type}
                    frames={builtin.frames ?? []}
                    options={panel.options ?? {}}
                    fieldConfig={fieldConfig}
                    width={innerWidth}
                    height={innerHeight}
                    timeRange={timeRange}
                    theme={theme}
                    renderCounter={generation}
                    replaceVariables={replace}
                  />
                </PanelErrorBoundary>
              </div>
            ) : (
              <FramesTable frames={current.frames} panelType={panel.type} />
            );
          }
          const Panel = plugin!.panel as React.ComponentType<PanelProps>;
          const data: PanelData = { state: LoadingState.Done, series, timeRange, request: current.request };
          return (
            <PanelErrorBoundary onError={(m) => setPluginState({ generation, state: 'error', reason: m })}>
              <Panel
                id={panel.id}
                data={data}
                timeRange={timeRange}
                timeZone="utc"
                options={optionsWithDefaults(plugin!, panel.options)}
                fieldConfig={fieldConfig}
                transparent={false}
                width={innerWidth}
                height={innerHeight}
                renderCounter={generation}
                title={title}
                eventBus={eventBus}
                onOptionsChange={() => {}}
                onFieldConfigChange={() => {}}
                replaceVariables={(s: string, vars?: ScopedVars, format?: string | Function) =>
                  templateSrv.replace(s, vars, format as never)
                }
                onChangeTimeRange={() => {}}
              />
            </PanelErrorBoundary>
          );
        }}
      </PanelChrome>
    </div>
  );
}

const eventBus = new EventBusSrv();
