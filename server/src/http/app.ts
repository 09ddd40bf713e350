import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ValidationError, type Ingestor } from '../ingest/ingest';
import type { Store } from '../store/types';
import { bearerAuth } from './auth';
import { ingestRoutes } from './ingest';
import { PrometheusExporter } from './prometheus';
import { queryRoutes } from './query';

export interface AppOptions {
  store: Store;
  ingestor: Ingestor;
  apiKey?: string;
  bodyLimit?: number;
  logger?: boolean;
  clock?: () => number;
}

const MB = 1024 * 1024;

/** The HTTP surface of the service (routes, auth, validation errors); no listening here. */
export function buildApp(o: AppOptions): { app: FastifyInstance; exporter: PrometheusExporter } {
  const bodyLimit = o.bodyLimit ?? 32 * MB;
  const app = Fastify({
    bodyLimit,
    // Never log headers: the Authorization header carries the API key.
    logger: o.logger ? { level: 'info', redact: ['req.headers.authorization'] } : false,
  });
  const exporter = new PrometheusExporter(o.store, o.ingestor, o.clock);

  // Ingest bodies are parsed by us (NDJSON or a JSON array, with line numbers in errors).
  app.addContentTypeParser(
    ['application/x-ndjson', 'application/jsonl', 'text/plain'],
    { parseAs: 'string' },
    (_req, body, done) => done(null, body)
  );
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (req.url.startsWith('/api/v1/ingest') || req.url.startsWith('/api/v1/import')) {
      return done(null, body);
    }
    try {
      done(null, JSON.parse(String(body)));
    } catch (e) {
      done(new ValidationError(`body is not valid JSON: ${(e as Error).message}`), undefined);
    }
  });

  app.addHook('onRequest', bearerAuth(o.apiKey, new Set(['/api/v1/health'])));

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

  app.get('/api/v1/health', async () => ({
    status: 'ok',
    version: 'v1',
    auth: Boolean(o.apiKey),
    counts: await o.store.counts(),
  }));
  ingestRoutes(app, o.ingestor);
  queryRoutes(app, o.store, { observe: (type, s) => exporter.queryDuration.observe({ type }, s) }, o.clock ?? Date.now);
  exporter.routes(app);
  return { app, exporter };
}
