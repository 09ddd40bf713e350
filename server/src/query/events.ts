import { frame, FRAMES } from '@rlhf-monitor/contract';
import type { QueryModule } from './types';

/** Events as one frame shaped for Grafana annotations: time, title, text, tags. */
export const events: QueryModule<'events'> = {
  type: 'events',
  async run(t, ctx) {
    const tags = (typeof t.tags === 'string' ? t.tags.split(',') : (t.tags ?? []))
      .map((s) => s.trim())
      .filter((s) => s && s !== '*');
    const rows = await ctx.store.events({ tags, phase: t.phase as never, range: ctx.range, limit: t.limit });
    return [
      frame(FRAMES.events.events, ctx.refId, [
        { name: 'time', type: 'time', values: rows.map((r) => r.ts) },
        { name: 'title', type: 'string', values: rows.map((r) => r.title) },
        { name: 'text', type: 'string', values: rows.map((r) => r.text) },
        { name: 'tags', type: 'other', values: rows.map((r) => r.tags) },
        { name: 'phase', type: 'string', values: rows.map((r) => r.phase) },
      ]),
    ];
  },
};
