// The core visualisations that @grafana/ui does not export (bar chart, heatmap, state timeline, ...) live only
// inside Grafana: show what they would be given instead, one compact table per frame (field names, labels and
// the last few values), labelled so in the screenshot.
import { css, cx } from '@emotion/css';
import { type DataFrame, type Field, FieldType, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import React from 'react';
import { frameRows } from './summary';

const MAX_FRAMES = 4;
const MAX_FIELDS = 6;
const LAST_ROWS = 3;

function show(field: Field, v: unknown): string {
  if (v === null || v === undefined) {
    return '—';
  }
  if (field.type === FieldType.time && typeof v === 'number') {
    return new Date(v).toISOString().replace('T', ' ').slice(5, 16);
  }
  if (typeof v === 'number') {
    return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  }
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

function labelsOf(frame: DataFrame): string {
  const labels = frame.fields.find((f) => f.labels && Object.keys(f.labels).length)?.labels ?? {};
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

/** Time series (a time field and a few values each): one line per series reads better than a table each. */
function isSeriesList(frames: DataFrame[]): boolean {
  return frames.every((f) => f.fields.length <= 4 && f.fields.some((x) => x.type === FieldType.time));
}

/** Labels every series shares go in the caption; each line names only what tells it apart. */
function splitLabels(frames: DataFrame[]): { common: string; own: string[] } {
  const sets = frames.map((f) => f.fields.find((x) => x.labels && Object.keys(x.labels).length)?.labels ?? {});
  const keys = new Set(sets.flatMap((l) => Object.keys(l)));
  const shared = [...keys].filter(
    (k) => frames.length > 1 && sets.every((l) => l[k] !== undefined && l[k] === sets[0][k])
  );
  const fmt = (l: Record<string, string>, ks: string[]) => ks.map((k) => `${k}=${l[k]}`).join(' ');
  return {
    common: fmt(sets[0] ?? {}, shared),
    own: sets.map((l) =>
      fmt(
        l,
        Object.keys(l).filter((k) => !shared.includes(k))
      )
    ),
  };
}

/** The field a graph would draw: a number that is not the step axis. */
function valueField(frame: DataFrame): Field | undefined {
  const numbers = frame.fields.filter((f) => f.type === FieldType.number);
  return numbers.find((f) => f.name !== 'step') ?? numbers[0];
}

function SeriesList({ frames, panelType }: { frames: DataFrame[]; panelType: string }) {
  const s = useStyles2(getStyles);
  const labels = splitLabels(frames);
  return (
    <div className={s.wrap} data-testid="frames-table">
      <div className={s.note}>
        {panelType}: no @grafana/ui component outside Grafana, shown as its data ({frames.length} series){' '}
        {labels.common}
      </div>
      <table className={cx(s.table, s.fixed)}>
        <colgroup>
          <col style={{ width: '46%' }} />
          <col style={{ width: '10%' }} />
          <col style={{ width: '16%' }} />
          <col style={{ width: '28%' }} />
        </colgroup>
        <thead>
          <tr>
            <th>series</th>
            <th>points</th>
            <th>last</th>
            <th>last values</th>
          </tr>
        </thead>
        <tbody>
          {frames.map((frame, i) => {
            const rows = frameRows(frame);
            const time = frame.fields.find((f) => f.type === FieldType.time)!;
            const value = valueField(frame);
            const n = Math.min(LAST_ROWS, rows);
            const last = Array.from({ length: n }, (_, k) => rows - n + k);
            const name = [frame.name, labels.own[i]].filter(Boolean).join(' · ') || frame.refId;
            return (
              <tr key={i}>
                <td title={name}>{name}</td>
                <td>{rows}</td>
                <td>{rows ? show(time, time.values[rows - 1]) : '—'}</td>
                <td>{value ? last.map((r) => show(value, value.values[r])).join('  ') : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function FramesTable({ frames, panelType }: { frames: DataFrame[]; panelType: string }) {
  const s = useStyles2(getStyles);
  if (frames.length > 0 && isSeriesList(frames)) {
    return <SeriesList frames={frames} panelType={panelType} />;
  }
  return (
    <div className={s.wrap} data-testid="frames-table">
      <div className={s.note}>
        {panelType}: no @grafana/ui component outside Grafana, shown as its data ({frames.length} frame
        {frames.length === 1 ? '' : 's'})
      </div>
      {frames.slice(0, MAX_FRAMES).map((frame, i) => {
        const rows = frameRows(frame);
        const fields = frame.fields.slice(0, MAX_FIELDS);
        const start = Math.max(0, rows - LAST_ROWS);
        return (
          <table key={i} className={s.table}>
            <caption className={s.caption}>
              {frame.name ?? frame.refId ?? `frame ${i + 1}`} · {rows} row{rows === 1 ? '' : 's'} {labelsOf(frame)}
            </caption>
            <thead>
              <tr>
                {fields.map((f) => (
                  <th key={f.name}>{f.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: rows - start }, (_, r) => (
                <tr key={r}>
                  {fields.map((f) => (
                    <td key={f.name}>{show(f, f.values[start + r])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
      {frames.length > MAX_FRAMES && <div className={s.note}>+{frames.length - MAX_FRAMES} more frames</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ height: '100%', overflow: 'auto', fontSize: theme.typography.bodySmall.fontSize }),
  note: css({ color: theme.colors.text.secondary, marginBottom: theme.spacing(0.5) }),
  fixed: css({ tableLayout: 'fixed' }),
  caption: css({ textAlign: 'left', color: theme.colors.text.secondary, whiteSpace: 'nowrap', overflow: 'hidden' }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    marginBottom: theme.spacing(1),
    'th, td': {
      textAlign: 'left',
      padding: '1px 6px',
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      maxWidth: 420,
      fontVariantNumeric: 'tabular-nums',
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
