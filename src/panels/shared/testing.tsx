// Test helpers shared by the panel tests (not shipped: only *.test.tsx import this).
import React from 'react';
import { render } from '@testing-library/react';
import {
  createTheme,
  type DataFrame,
  dateTime,
  EventBusSrv,
  LoadingState,
  type PanelData,
  type PanelProps,
  ThemeContext,
  type TimeRange,
} from '@grafana/data';

export const lightTheme = createTheme({ colors: { mode: 'light' } });
export const darkTheme = createTheme({ colors: { mode: 'dark' } });

export function timeRange(): TimeRange {
  const from = dateTime('2026-11-24T00:00:00Z');
  const to = dateTime('2026-11-24T06:00:00Z');
  return { from, to, raw: { from: 'now-6h', to: 'now' } };
}

export function panelData(series: DataFrame[], request?: Partial<PanelData['request']>): PanelData {
  return { series, state: LoadingState.Done, timeRange: timeRange(), request: request as PanelData['request'] };
}

interface RenderOpts<T> {
  data: PanelData;
  options: T;
  width?: number;
  height?: number;
  theme?: 'light' | 'dark';
  /** The dashboard's template variables, as PanelProps.replaceVariables applies them ($name -> value). */
  variables?: Record<string, string>;
}

/** Render a panel component the way Grafana does: PanelProps plus the theme in context. */
export function renderPanel<T>(Panel: React.ComponentType<PanelProps<T>>, o: RenderOpts<NoInfer<T>>) {
  const element = (o: RenderOpts<NoInfer<T>>) => {
    const props: PanelProps<T> = {
      id: 1,
      data: o.data,
      timeRange: o.data.timeRange,
      timeZone: 'utc',
      options: o.options,
      transparent: false,
      width: o.width ?? 800,
      height: o.height ?? 400,
      fieldConfig: { defaults: {}, overrides: [] },
      renderCounter: 0,
      title: 'test',
      eventBus: new EventBusSrv(),
      onOptionsChange: () => {},
      onFieldConfigChange: () => {},
      replaceVariables: (s: string) => s.replace(/\$(\w+)/g, (m, k: string) => o.variables?.[k] ?? m),
      onChangeTimeRange: () => {},
    };
    const theme = o.theme === 'dark' ? darkTheme : lightTheme;
    return (
      <ThemeContext.Provider value={theme}>
        <Panel {...props} />
      </ThemeContext.Provider>
    );
  };
  const result = render(element(o));
  /** The same mounted panel (its state kept) with some props changed, e.g. a dashboard variable. */
  const update = (next: Partial<RenderOpts<NoInfer<T>>>) => result.rerender(element({ ...o, ...next }));
  return { ...result, update };
}
