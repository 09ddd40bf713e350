import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ValidationError, type Ingestor } from '../ingest/ingest';
import { withIndexedLatest } from '../ingest/latest';
import type { StatusThresholds } from '../analytics/status';
import type { Store } from '../store/types';
import { RECORD_KINDS, type RecordKind } from '@rlhf-monitor/contract';
import type { ServiceLimits } from '../config';
import { bearerAuth } from './auth';
import { AnalyticsPool } from '../query/pool';
import { turnTakingStore } from '../query/turns';
import { SqliteStore } from '../store/sqlite';
import { bodyParsers } from './body';
import { homeRoutes } from './home';
import { ingestRoutes } from './ingest';
import { PrometheusExporter } from './prometheus';
import { queryRoutes } from './query';

export interface AppOptions {
  store: Store;
  ingestor: Ingestor;
  apiKey?: string;
  limits: ServiceLimits;
  logger?: boolean;
  clock?: () => number;
  /** Phase-state rules (the service configuration's `status`). */
  status: StatusThresholds;
}

const MB = 1024 * 1024;

/** The HTTP surface of the service (routes, auth, validation errors); no listening here. */
export function buildApp(o: AppOptions): { app: FastifyInstance; exporter: PrometheusExporter } {
  const bodyLimit = o.limits.bodyBytes;
  const app = Fastify({
    bodyLimit,
    // Never log headers: the Authorization header carries the API key.
    logger: o.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
  });
  // Status and /metrics read each series' newest point from memory (kept by the ingestor), not the store.
  const indexed = withIndexedLatest(o.store, o.ingestor.latest);
  // SQLite answers synchronously: queries' reads take turns with ingest (query/turns.ts); PostgreSQL's are I/O.
  const store = o.store instanceof SqliteStore ? turnTakingStore(indexed) : indexed;
  // Changes with every stored batch of the given kinds (default: all) and, for metrics, every newer point another
  // replica stored (a refresh): answers and the status computed moments ago are shared while it stays. The counts
  // only grow, so their sum changes with any of them.
  const dataVersion = (kinds: readonly RecordKind[] = RECORD_KINDS) =>
    kinds.reduce((a, k) => a + o.ingestor.counters.accepted[k], 0) +
    (kinds.includes('metric') ? o.ingestor.latest.version : 0);
  const exporter = new PrometheusExporter(store, o.ingestor, o.clock ?? Date.now, o.status, dataVersion);

  app.addHook('onResponse', async (req, reply) => {
    exporter.requestDuration.observe(
      // Unmatched URLs are user input: one label value for all of them.
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', code: String(reply.statusCode) },
      reply.elapsedTime / 1000
    );
  });

  const pool = new AnalyticsPool(o.limits.targetBudgetMs);
  app.addHook('onClose', () => pool.close());

  // JSON and NDJSON only, bounded, gzip decoded, NDJSON streamed (body.ts).
  bodyParsers(app, o.limits);

  app.addHook('onRequest', bearerAuth(o.apiKey, new Set(['/api/v1/health', '/'])));

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ValidationError) {
      return reply.code(400).send({ error: err.message });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send({
        error: `body larger than ${Math.round(bodyLimit / MB)} MB: split it into smaller batches (e.g. 10,000 records each)`,
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(415).send({ error: `unsupported Content-Type: send application/json or application/x-ndjson` });
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: err.message });
    }
    req.log.error(err);
    return reply.code(500).send({ error: 'internal error; the request was not applied, retry or report it' });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: `no route ${req.method} ${req.url}; see GET /api/v1/health for the API version` })
  );

  // From memory only: a load balancer's probe must never wait for the store or a query (defect 3).
  // Logged at warn only: a load balancer probing every few seconds would fill the request log.
  app.get('/api/v1/health', { logLevel: 'warn' }, async () => ({
    status: 'ok',
    version: 'v1',
    auth: Boolean(o.apiKey),
    counts: o.ingestor.counts(),
  }));
  homeRoutes(app, {
    store,
    ingestor: o.ingestor,
    status: o.status,
    apiKey: o.apiKey,
    clock: o.clock ?? Date.now,
    dataVersion,
  });
  ingestRoutes(app, o.ingestor, o.clock ?? Date.now);
  queryRoutes(app, store, {
    timing: { observe: (type, s) => exporter.queryDuration.observe({ type }, s) },
    clock: o.clock ?? Date.now,
    status: o.status,
    limits: o.limits,
    pool,
    dataVersion,
  });
  exporter.routes(app);
  return { app, exporter };
}
