import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { type FrameJSON, QUERY_TYPES, type RecordKind } from '@rlhf-monitor/contract';
import type { ServiceLimits } from '../config';
import { QueryError, runQuery } from '../query';
import { readsOf, sharedAnswer } from '../query/answers';
import { boundedStore } from '../query/bounded';
import { type AnalyticsPool, OFFLOADED } from '../query/pool';
import type { StatusThresholds } from '../analytics/status';
import type { Store } from '../store/types';
import { slicer } from '../turns';
import { Admission, HttpError } from './body';

const DAY = 86_400_000;

/** The range a JavaScript Date (and either store's BIGINT) holds: ±100,000,000 days around 1970. */
const MAX_MS = 8.64e15;

const time = z.union([z.number().finite(), z.string()]).transform((v, ctx) => {
  const ms = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_MS) {
    ctx.addIssue({ code: 'custom', message: 'expected epoch milliseconds (|ms| <= 8.64e15) or an ISO-8601 time' });
    return z.NEVER;
  }
  // Whole milliseconds: both stores keep integers (a fractional bound made PostgreSQL fail).
  return Math.floor(ms);
});

const body = z.object({
  from: time.optional(),
  to: time.optional(),
  maxDataPoints: z.number().int().min(2).max(100_000).optional(),
  queries: z
    .array(z.object({ refId: z.string().max(64).optional(), type: z.string() }).passthrough())
    .min(1, 'send at least one query'),
});

/** Grafana's per-refId shape: frames, or an error with its HTTP-like status. */
export type TargetResult = { frames: FrameJSON[] } | { error: string; status: number };

export interface QueryTiming {
  observe(type: string, seconds: number): void;
}

/**
 * `{results}` as JSON text, the same as JSON.stringify would write it, in pieces of a few frames, each written
 * in a turn of its own (turns.ts): 40 series of 1000 points are megabytes, too long a slice to stringify and copy
 * into the socket at once while health checks wait.
 */
async function* resultsJson(results: Record<string, TargetResult>): AsyncGenerator<string> {
  const slice = slicer();
  let piece = '{"results":{';
  for (const [i, [refId, r]] of Object.entries(results).entries()) {
    piece += `${i ? ',' : ''}${JSON.stringify(refId)}:`;
    if (!('frames' in r)) {
      piece += JSON.stringify(r);
      continue;
    }
    piece += '{"frames":[';
    for (const [j, f] of r.frames.entries()) {
      piece += `${j ? ',' : ''}${JSON.stringify(f)}`;
      if (piece.length >= PIECE_CHARS) {
        yield piece;
        piece = '';
        await slice();
      }
    }
    piece += ']}';
  }
  yield `${piece}}}`;
}

const PIECE_CHARS = 64 * 1024;

async function* chained(head: string[], rest: AsyncGenerator<string>): AsyncGenerator<string> {
  yield* head;
  yield* rest;
}

/** POST /api/v1/query: run each target, answer Grafana's `{results: {refId: {frames} | {error, status}}}`. */
export function queryRoutes(
  app: FastifyInstance,
  store: Store,
  {
    timing,
    clock,
    status,
    limits,
    pool,
    dataVersion,
  }: {
    timing: QueryTiming;
    clock: () => number;
    status: StatusThresholds;
    limits: ServiceLimits;
    /** Runs the OFFLOADED types off the main thread (the others read points, their cost is the store's). */
    pool?: AnalyticsPool;
    /** Changes with every stored batch of those kinds: identical targets share one answer while it stays (answers.ts). */
    dataVersion?: (kinds?: readonly RecordKind[]) => number;
  }
) {
  // A few requests answered at once: each holds its points while its reads take turns with ingest (turns.ts).
  const answering = new Admission(
    limits.concurrentQueries,
    `${limits.concurrentQueries} queries are being answered and more wait (concurrentQueries): retry in a few seconds`
  );
  const held = new WeakMap<FastifyRequest, () => void>();
  const release = async (req: FastifyRequest) => {
    held.get(req)?.();
    held.delete(req);
  };
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  app.post('/api/v1/query', async (req, reply) => {
    const parsed = body.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).send({
        error: `field "${issue.path.join('.')}" ${issue.message}; expected {"from", "to", "maxDataPoints"?, "queries": [{"refId", "type", ...}]}`,
      });
    }
    const targets = parsed.data.queries.length;
    if (targets > limits.targetsPerQuery) {
      return reply.code(400).send({
        error: `${targets} queries in one request, more than the limit of ${limits.targetsPerQuery} (targetsPerQuery): split them over several requests or panels`,
      });
    }
    const now = clock();
    const to = parsed.data.to ?? now;
    const from = parsed.data.from ?? to - DAY;
    if (from > to) {
      return reply.code(400).send({ error: '"from" is after "to": send an ascending time range' });
    }
    held.set(req, await answering.acquire(1, limits.inflightWaitMs));
    if (req.raw.socket?.destroyed) {
      // The client left while waiting (onRequestAbort may have run already): give the slot back now.
      await release(req);
      throw new HttpError(400, 'the client closed the request');
    }
    // Errors are per target, as Grafana's backend data sources answer them: one bad target does not cost the
    // panel's other targets their frames.
    const results: Record<string, TargetResult> = {};
    for (const [i, target] of parsed.data.queries.entries()) {
      const refId = target.refId ?? String.fromCharCode(65 + (i % 26));
      const started = process.hrtime.bigint();
      try {
        const run = pool && OFFLOADED.has(target.type) ? pool.run.bind(pool) : runQuery;
        const ctx = {
          store: boundedStore(store, limits, refId),
          range: { from, to },
          maxDataPoints: parsed.data.maxDataPoints ?? 1000,
          refId,
          now,
          status,
          dataVersion: dataVersion?.(),
        };
        const frames = dataVersion
          ? await sharedAnswer(store, dataVersion(readsOf(target.type)), target, ctx, run)
          : await run(target, ctx);
        results[refId] = { frames };
      } catch (e) {
        if (!(e instanceof QueryError)) {
          throw e;
        }
        results[refId] = { error: e.message, status: e.status };
      } finally {
        const type = QUERY_TYPES.find((t) => t === target.type) ?? 'unknown';
        timing.observe(type, Number(process.hrtime.bigint() - started) / 1e9);
      }
    }
    reply.type('application/json; charset=utf-8');
    // Most answers are one piece: sent as it is, without a stream's machinery.
    const pieces = resultsJson(results);
    const first = await pieces.next();
    const second = first.done ? first : await pieces.next();
    if (second.done) {
      return reply.send(first.done ? '' : first.value);
    }
    return reply.send(Readable.from(chained([first.value, second.value], pieces)));
  });
}
