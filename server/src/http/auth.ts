import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-key check for every route but the open ones. Comparing fixed-length digests keeps the
 * comparison constant-time whatever the presented key's length. The key is never logged.
 */
export function bearerAuth(apiKey: string | undefined, open: Set<string>) {
  const expected = apiKey ? digest(apiKey) : null;
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!expected || open.has(req.routeOptions.url ?? '')) {
      return;
    }
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1].trim()), expected)) {
      return reply.code(401).send({
        error: m
          ? 'wrong API key: the Bearer token does not match RLHF_API_KEY'
          : 'missing API key: send "Authorization: Bearer <RLHF_API_KEY>"',
      });
    }
  };
}
