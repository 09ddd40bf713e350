import { z } from 'zod';
import { frame } from './frames';
import { namePattern } from './common';
import type { QueryType } from './types';

const schema = z.object({
  of: z.enum(['runs', 'metrics', 'models', 'datasets', 'features', 'sources'], {
    errorMap: () => ({ message: 'expected one of runs, metrics, models, datasets, features, sources' }),
  }),
  run: namePattern.optional(),
});

/** Names for template variables: one string field `value`. */
export const catalog: QueryType<typeof schema> = {
  type: 'catalog',
  schema,
  async run(t, ctx) {
    const values = await ctx.store.catalog(t.of, { run: t.run });
    return [frame(t.of, ctx.refId, [{ name: 'value', type: 'string', values }])];
  },
};
