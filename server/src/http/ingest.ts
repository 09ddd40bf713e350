import type { FastifyInstance } from 'fastify';
import { trainerStateToRecords } from '../ingest/trainerState';
import type { ParsedBody } from '../ingest/ndjson';
import type { Ingestor } from '../ingest/ingest';
import { IDEMPOTENCY_HEADER, IdempotencyCache } from './idempotency';

// curl sends an empty body when `--data-binary @file` names a file that does not exist.
const EMPTY_BODY =
  'the body holds no records: send NDJSON (one record per line) or a JSON array; with curl, check that the file after --data-binary @ exists';

/** POST /api/v1/ingest (NDJSON or JSON array) and the importers. Bodies arrive parsed or as text (see body.ts). */
export function ingestRoutes(app: FastifyInstance, ingestor: Ingestor, clock: () => number = Date.now) {
  const retries = new IdempotencyCache<number>(clock);
  app.post('/api/v1/ingest', async (req, reply) => {
    // Parsed (and bounded) as it arrived, by http/body.ts; a POST without a body has none.
    const { records, lines } = (req.body as ParsedBody | undefined) ?? { records: [] };
    if (records.length === 0) {
      return reply.code(400).send({ error: EMPTY_BODY });
    }
    const key = req.headers[IDEMPOTENCY_HEADER];
    if (key !== undefined && !IdempotencyCache.valid(key)) {
      return reply.code(400).send({
        error: `header ${IDEMPOTENCY_HEADER} must be 1-128 printable ASCII characters (e.g. a UUID), one per batch`,
      });
    }
    if (key === undefined) {
      return reply.code(200).send({ accepted: await ingestor.ingest(records, lines) });
    }
    const { answer, replayed } = await retries.once(key, () => ingestor.ingest(records, lines));
    return reply.code(200).header('idempotent-replayed', String(replayed)).send({ accepted: answer });
  });

  app.post<{ Querystring: { run?: string } }>('/api/v1/import/trainer-state', async (req, reply) => {
    const records = trainerStateToRecords(String(req.body ?? ''), req.query.run);
    const accepted = await ingestor.ingest(records);
    return reply.code(200).send({ accepted });
  });
}
