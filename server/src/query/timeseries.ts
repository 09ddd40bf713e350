import { downsampleIndices } from '../analytics/downsample';
import { frame, type FrameJSON } from '@rlhf-monitor/contract';
import type { QueryModule } from './types';
import { slicer } from '../turns';

/** One frame per series: time, step, value; labels run + metric (+ the series' own labels). */
export const timeseries: QueryModule<'timeseries'> = {
  type: 'timeseries',
  async run(t, ctx) {
    const series = await ctx.store.seriesForPlot(
      { runs: t.run, metrics: t.metric, phase: t.phase as never, range: ctx.range },
      ctx.maxDataPoints
    );
    const frames: FrameJSON[] = [];
    // Downsampling many long series is a long slice: take turns with ingest and health (turns.ts).
    const slice = slicer();
    for (const s of series) {
      await slice();
      const values = s.points.map((p) => p.value);
      const keep = downsampleIndices(values, ctx.maxDataPoints);
      const labels = { run: s.run, metric: s.name, ...s.labels };
      const time = keep.map((i) => s.points[i].ts);
      const step = keep.map((i) => s.points[i].step);
      const value = keep.map((i) => values[i]);
      const hasStep = step.some((v) => v !== null);
      const fields = [
        { name: 'time', type: 'time' as const, values: time },
        ...(hasStep ? [{ name: 'step', type: 'number' as const, values: step }] : []),
        { name: 'value', type: 'number' as const, values: value, labels, config: { displayNameFromDS: s.name } },
      ];
      if (t.x === 'step' && hasStep) {
        // Step on the x axis: put it first so Grafana's XY/trend panels use it.
        fields.unshift(fields.splice(1, 1)[0]);
      }
      frames.push(frame(`${s.run} ${s.name}`, ctx.refId, fields));
    }
    return frames;
  },
};
