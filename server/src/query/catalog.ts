import { CATALOG_RUN_FIELDS, frame, PHASES, type Phase } from '@rlhf-monitor/contract';
import type { SeriesKey, MetricPoint } from '../store/types';
import { QueryError } from './errors';
import type { QueryModule } from './types';

const [RUN, PHASES_FIELD, METRICS, LAST_STEP, LAST_TIME] = CATALOG_RUN_FIELDS;

interface RunRow {
  phases: Set<Phase>;
  metrics: Set<string>;
  lastStep: number | null;
  lastTime: number;
}

/** One row per run from the newest point of each of its series (regardless of the time range, like `latest`). */
function runRows(latest: Array<SeriesKey & MetricPoint>): Map<string, RunRow> {
  const runs = new Map<string, RunRow>();
  for (const p of latest) {
    const r = runs.get(p.run) ?? { phases: new Set(), metrics: new Set(), lastStep: null, lastTime: -Infinity };
    r.phases.add(p.phase);
    r.metrics.add(p.name);
    r.lastTime = Math.max(r.lastTime, p.ts);
    if (p.step !== null && (r.lastStep === null || p.step > r.lastStep)) {
      r.lastStep = p.step;
    }
    runs.set(p.run, r);
  }
  return runs;
}

/**
 * Names for template variables: one string field `value`. With `detail` (runs only), a runs table instead: `run`,
 * `phases` (pipeline order, comma-separated), `metrics` (distinct metric names), `last_step`, `last_time`.
 */
export const catalog: QueryModule<'catalog'> = {
  type: 'catalog',
  async run(t, ctx) {
    if (t.detail) {
      if (t.of !== 'runs') {
        throw new QueryError(
          `detail is only for of: "runs" (got of: "${t.of}"); drop detail, or ask for of: "runs" to get a table of runs`
        );
      }
      const rows = [...runRows(await ctx.store.latest({ phase: t.phase })).entries()].sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0
      );
      return [
        frame(t.of, ctx.refId, [
          { name: RUN, type: 'string', values: rows.map(([run]) => run) },
          {
            name: PHASES_FIELD,
            type: 'string',
            values: rows.map(([, r]) => PHASES.filter((p) => r.phases.has(p)).join(', ')),
          },
          { name: METRICS, type: 'number', values: rows.map(([, r]) => r.metrics.size) },
          { name: LAST_STEP, type: 'number', values: rows.map(([, r]) => r.lastStep) },
          { name: LAST_TIME, type: 'time', values: rows.map(([, r]) => r.lastTime) },
        ]),
      ];
    }
    const values = await ctx.store.catalog(t.of, { run: t.run, phase: t.phase });
    return [frame(t.of, ctx.refId, [{ name: 'value', type: 'string', values }])];
  },
};
