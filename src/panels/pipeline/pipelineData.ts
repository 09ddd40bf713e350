import {
  locationUtil,
  type DataFrame,
  type Field,
  formattedValueToString,
  getValueFormat,
  type InterpolateFunction,
  type TimeRange,
  urlUtil,
} from '@grafana/data';
import type { Status } from '../shared/palette';
import { fieldByName, hasFields, lastValue, toNumber } from '../shared/frames';
import { type Phase, PHASES, type PhaseOptions, type PhaseView, type PipelineOptions } from './types';

const STATES: Status[] = ['ok', 'warning', 'critical', 'unknown'];

export function findStatusFrame(series: DataFrame[]): DataFrame | undefined {
  return (
    series.find((f) => f.name === 'status' && hasFields(f, ['phase', 'state'])) ??
    series.find((f) => hasFields(f, ['phase', 'state']))
  );
}

/** Status rows keyed by phase; the last row for a phase wins (newest when the service sorts by time). */
export function readStatus(
  frame: DataFrame
): Partial<Record<Phase, { state: Status; reason: string; updated: number | null }>> {
  const phase = fieldByName(frame, 'phase')!.values;
  const state = fieldByName(frame, 'state')!.values;
  const reason = fieldByName(frame, 'reason')?.values;
  const updated = fieldByName(frame, 'updated')?.values;
  const out: Partial<Record<Phase, { state: Status; reason: string; updated: number | null }>> = {};
  for (let i = 0; i < frame.length; i++) {
    const p = String(phase[i] ?? '').toLowerCase() as Phase;
    if (!PHASES.includes(p)) {
      continue;
    }
    const s = String(state[i] ?? '').toLowerCase() as Status;
    const u = updated ? toNumber(updated[i]) : NaN;
    out[p] = {
      state: STATES.includes(s) ? s : 'unknown',
      reason: reason && reason[i] != null ? String(reason[i]) : '',
      updated: Number.isFinite(u)
        ? u
        : typeof updated?.[i] === 'string'
          ? Date.parse(String(updated[i])) || null
          : null,
    };
  }
  return out;
}

/** Does this frame answer to `source`: its refId, its name, or the `metric`/`name` label of one of its fields. */
function matchesSource(frame: DataFrame, source: string): boolean {
  if (frame.refId === source || frame.name === source) {
    return true;
  }
  return frame.fields.some((f) => f.labels?.metric === source || f.labels?.name === source);
}

export function findHeadlineField(series: DataFrame[], o: PhaseOptions, exclude?: DataFrame): Field | undefined {
  if (!o.field) {
    return undefined;
  }
  const candidates = series.filter((f) => f !== exclude && (!o.source || matchesSource(f, o.source)));
  for (const frame of candidates) {
    const field = fieldByName(frame, o.field);
    if (field && lastValue(field) !== undefined) {
      return field;
    }
  }
  return undefined;
}

export function headline(series: DataFrame[], o: PhaseOptions, exclude?: DataFrame): PhaseView['headline'] {
  const field = findHeadlineField(series, o, exclude);
  if (!field) {
    return o.field ? { label: o.label || o.field, text: '—' } : null;
  }
  const v = lastValue(field);
  const label = o.label || field.config?.displayName || field.name;
  if (typeof v !== 'number') {
    return { label, text: String(v) };
  }
  const unit = o.unit || field.config?.unit || 'none';
  const decimals = o.decimals ?? field.config?.decimals ?? undefined;
  return { label, text: formattedValueToString(getValueFormat(unit)(v, decimals ?? undefined)) };
}

export function phaseHref(
  url: string,
  replace: InterpolateFunction | undefined,
  range: TimeRange | undefined,
  keep: boolean
): string {
  // Under Grafana's sub-path (root_url https://host/grafana/) a "/d/..." link must become "/grafana/d/...".
  const base = locationUtil.assureBaseUrl(replace ? replace(url) : url);
  if (!keep || !range || /[?&]from=/.test(base)) {
    return base;
  }
  const raw = range.raw;
  const from = typeof raw.from === 'string' ? raw.from : range.from.valueOf();
  const to = typeof raw.to === 'string' ? raw.to : range.to.valueOf();
  return urlUtil.appendQueryToUrl(base, urlUtil.toUrlParams({ from, to }));
}

export function buildPhases(
  series: DataFrame[],
  options: PipelineOptions,
  replace?: InterpolateFunction,
  range?: TimeRange
): { ok: true; phases: PhaseView[] } | { ok: false; missing: string } {
  const statusFrame = findStatusFrame(series);
  if (!statusFrame) {
    return { ok: false, missing: 'the "status" frame (fields phase, state, reason, updated)' };
  }
  if (statusFrame.length === 0) {
    return { ok: false, missing: 'rows in the "status" frame (one per phase)' };
  }
  const status = readStatus(statusFrame);
  const phases = PHASES.map((phase) => {
    const o = options[phase];
    const s = status[phase];
    return {
      phase,
      state: s?.state ?? 'unknown',
      reason: s ? s.reason : 'No status reported for this phase',
      updated: s?.updated ?? null,
      headline: headline(series, o, statusFrame),
      href: phaseHref(o.url, replace, range, options.keepTimeRange),
    };
  });
  return { ok: true, phases };
}
