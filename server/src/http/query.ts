import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { QUERY_TYPES, QueryError, runQuery } from '../query';
import type { FrameJSON } from '../query/frames';
import type { Store } from '../store/types';

const DAY = 86_400_000;

const time = z.union([z.number().finite(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds or an ISO-8601 time' });
    return z.NEVER;
  }
  return ms;
});

const body = z.object({
  from: time.optional(),
  to: time.optional(),
  maxDataPoints: z.number().int().min(2).max(100_000).optional(),
  queries: z
    .array(z.object({ refId: z.string().max(64).optional(), type: z.string() }).passthrough())
    .min(1, 'send at least one query')
    .max(100),
});

export interface QueryTiming {
  observe(type: string, seconds: number): void;
}

/** POST /api/v1/query: run each target, answer Grafana's `{results: {refId: {frames}}}`. */
export function queryRoutes(app: FastifyInstance, store: Store, timing: QueryTiming, clock: () => number) {
  app.post('/api/v1/query', async (req, reply) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).send({
        error: `field "${issue.path.join('.')}" ${issue.message}; expected {"from", "to", "maxDataPoints"?, "queries": [{"refId", "type", ...}]}`,
      });
    }
    const now = clock();
    const to = parsed.data.to ?? now;
    const from = parsed.data.from ?? to - DAY;
    if (from > to) {
      return reply.code(400).send({ error: '"from" is after "to": send an ascending time range' });
    }
    const results: Record<string, { frames: FrameJSON[] }> = {};
    for (const [i, target] of parsed.data.queries.entries()) {
      const refId = target.refId ?? String.fromCharCode(65 + (i % 26));
      const started = process.hrtime.bigint();
      try {
        const frames = await runQuery(target, {
          store,
          range: { from, to },
          maxDataPoints: parsed.data.maxDataPoints ?? 1000,
          refId,
          now,
        });
        results[refId] = { frames };
      } catch (e) {
        if (e instanceof QueryError) {
          return reply.code(400).send({ error: e.message });
        }
        throw e;
      } finally {
        timing.observe(
          target.type in QUERY_TYPES ? target.type : 'unknown',
          Number(process.hrtime.bigint() - started) / 1e9
        );
      }
    }
    return { results };
  });
}
