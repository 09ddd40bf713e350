import type { FastifyInstance } from 'fastify';
import { trainerStateToRecords } from '../ingest/trainerState';
import { parseBody } from '../ingest/ndjson';
import type { Ingestor } from '../ingest/ingest';

/** POST /api/v1/ingest (NDJSON or JSON array) and the importers. Bodies arrive as strings (see app.ts). */
export function ingestRoutes(app: FastifyInstance, ingestor: Ingestor) {
  app.post('/api/v1/ingest', async (req, reply) => {
    const { records, lines } = parseBody(String(req.body ?? ''), req.headers['content-type']);
    const accepted = await ingestor.ingest(records, lines);
    return reply.code(200).send({ accepted });
  });

  app.post<{ Querystring: { run?: string } }>('/api/v1/import/trainer-state', async (req, reply) => {
    const records = trainerStateToRecords(String(req.body ?? ''), req.query.run);
    const accepted = await ingestor.ingest(records);
    return reply.code(200).send({ accepted });
  });
}
