import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { readRevocationFeed } from '../../flows/revocation-feed.js';
import { toNumericDate } from '../../platform/clock.js';

/** `since` is an opaque cursor from a previous answer; its exact syntax is checked by the flow. */
const revocationsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { since: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;

const revocationsResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['revoked', 'cursor', 'more', 'window_seconds', 'overlap_seconds'],
  properties: {
    revoked: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sid', 'revoked_at'],
        properties: { sid: { type: 'string' }, revoked_at: { type: 'integer' } },
      },
    },
    cursor: { type: 'string' },
    more: { type: 'boolean' },
    window_seconds: { type: 'integer' },
    overlap_seconds: { type: 'integer' },
  },
} as const;

/**
 * GET /auth/revocations: the session ids (`sid` of access tokens) revoked since a cursor, for
 * resource servers that verify tokens themselves (tessera/verify). Public like the JWKS: it lists
 * only random ids of dead sessions (docs/decisions/0010-revocation-feed.md).
 */
export function revocationRoutes(deps: Deps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Querystring: { since?: string } }>(
      '/auth/revocations',
      { schema: { querystring: revocationsQuery, response: { 200: revocationsResponse } } },
      async (request, reply) => {
        const page = await readRevocationFeed(deps, request.query.since);
        return reply.header('cache-control', 'no-store').send({
          revoked: page.revoked.map((entry) => ({
            sid: entry.sid,
            revoked_at: toNumericDate(entry.revokedAt),
          })),
          cursor: page.cursor,
          more: page.more,
          window_seconds: page.windowSeconds,
          overlap_seconds: page.overlapSeconds,
        });
      },
    );
  };
}
