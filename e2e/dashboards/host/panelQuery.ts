// Runs one panel's queries the way Grafana's PanelQueryRunner does: the panel's time range (with a
// `timeFrom` override), maxDataPoints = panel width, an interval from the range, the data source's query(),
// then the panel's transformations.
import {
  type DataFrame,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceApi,
  type DataTransformerConfig,
  isDataFrame,
  rangeUtil,
  standardTransformers,
  standardTransformersRegistry,
  type TimeRange,
  toDataFrame,
  transformDataFrame,
} from '@grafana/data';
import { from, lastValueFrom } from 'rxjs';
import type { DashboardPanel } from './panelKinds';
import { frameRows } from './summary';

export interface QueryOutcome {
  state: 'done' | 'error' | 'empty';
  frames: DataFrame[];
  error?: string;
  timeRange: TimeRange;
  /** What was sent to the data source; Grafana hands it to the panel as data.request. */
  request: DataQueryRequest;
  ms: number;
}

let transformersReady = false;

/** Grafana core fills this registry at start-up; @grafana/data ships the transformers but not the filling. */
function ensureTransformers(): void {
  if (transformersReady) {
    return;
  }
  // `standardTransformers` lists some transformers twice under old names (seriesToColumns = joinByField).
  const unique = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
  standardTransformersRegistry.setInit(() =>
    [...unique.values()].map((t) => ({
      id: t.id,
      aliasIds: t.aliasIds,
      name: t.name,
      description: t.description,
      transformation: t,
      editor: () => null,
      imageDark: '',
      imageLight: '',
    }))
  );
  transformersReady = true;
}

export function panelTimeRange(panel: DashboardPanel, dashboardRange: TimeRange): TimeRange {
  if (!panel.timeFrom) {
    return dashboardRange;
  }
  return rangeUtil.convertRawToRange({ from: `now-${panel.timeFrom}`, to: dashboardRange.raw.to });
}

let requestCounter = 0;

export async function runPanelQuery(
  ds: DataSourceApi,
  panel: DashboardPanel,
  ctx: { range: TimeRange; width: number; dashboardUID: string }
): Promise<QueryOutcome> {
  const t0 = performance.now();
  const timeRange = panelTimeRange(panel, ctx.range);
  const maxDataPoints = panel.maxDataPoints ?? Math.max(100, Math.round(ctx.width));
  const { interval, intervalMs } = rangeUtil.calculateInterval(timeRange, maxDataPoints, panel.interval);
  const request = {
    app: 'dashboard',
    requestId: `Q${++requestCounter}`,
    panelId: panel.id,
    dashboardUID: ctx.dashboardUID,
    timezone: 'utc',
    range: timeRange,
    rangeRaw: timeRange.raw,
    interval,
    intervalMs,
    maxDataPoints,
    targets: (panel.targets ?? []).map((t) => ({ ...t, datasource: t.datasource ?? panel.datasource ?? undefined })),
    scopedVars: {
      __interval: { text: interval, value: interval },
      __interval_ms: { text: String(intervalMs), value: intervalMs },
    },
    startTime: Date.now(),
  } as unknown as DataQueryRequest;
  const done = (state: QueryOutcome['state'], frames: DataFrame[], error?: string): QueryOutcome => ({
    state,
    frames,
    error,
    timeRange,
    request,
    ms: Math.round(performance.now() - t0),
  });
  let response: DataQueryResponse;
  try {
    response = await lastValueFrom(from(ds.query(request) as Promise<DataQueryResponse>));
  } catch (e) {
    return done('error', [], e instanceof Error ? e.message : JSON.stringify(e));
  }
  const errors = [...(response.errors ?? []), ...(response.error ? [response.error] : [])];
  let frames = (response.data ?? []).map((d: unknown) => (isDataFrame(d) ? d : toDataFrame(d)));
  if (errors.length) {
    return done(
      'error',
      frames,
      errors.map((e) => `${e.refId ? `${e.refId}: ` : ''}${e.message ?? e.data?.message}`).join('; ')
    );
  }
  const transformations = (panel.transformations ?? []).filter((t) => !t.disabled) as DataTransformerConfig[];
  if (transformations.length) {
    ensureTransformers();
    try {
      frames = await lastValueFrom(transformDataFrame(transformations, frames));
    } catch (e) {
      return done('error', frames, `transformations: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const empty = frames.length === 0 || frames.every((f) => frameRows(f) === 0);
  return done(empty ? 'empty' : 'done', frames);
}
