import { frame } from '@rlhf-monitor/contract';
import type { QueryModule } from './types';

/** Names for template variables: one string field `value`. */
export const catalog: QueryModule<'catalog'> = {
  type: 'catalog',
  async run(t, ctx) {
    const values = await ctx.store.catalog(t.of, { run: t.run, phase: t.phase });
    return [frame(t.of, ctx.refId, [{ name: 'value', type: 'string', values }])];
  },
};
