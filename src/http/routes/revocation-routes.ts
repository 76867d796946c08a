import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import {
  createRevocationFeedWaiters,
  readRevocationFeedWaiting,
  type RevocationFeedWaiters,
} from '../../flows/revocation/revocation-feed-wait.js';
import { REVOCATION_CURSOR_PATTERN } from '../../flows/revocation/revocation-cursor.js';
import { toNumericDate } from '../../platform/clock.js';

/**
 * `since` is an opaque cursor from a previous answer; its exact syntax is checked by the flow. `wait`
 * (seconds, an integer from 0 to REVOCATION_FEED_MAX_WAIT_SECONDS, default 0) asks to be answered
 * only once there is news, at most that long after (long-poll). Query strings are not coerced
 * (build-app.ts), so it is a string of that shape.
 */
const revocationsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    since: { type: 'string', maxLength: 200, pattern: REVOCATION_CURSOR_PATTERN.source },
    wait: { type: 'string', pattern: '^(?:[0-9]|[12][0-9]|30)$' },
  },
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
 * only random ids of dead sessions (docs/decisions/0010-revocation-feed.md). With `wait`, a read with
 * no news parks until this instance hears of a revocation; shutdown (preClose: before Fastify waits
 * for in-flight requests) releases every parked request, and a client that leaves releases its own.
 */
export function revocationRoutes(deps: Deps, options: { waiters?: RevocationFeedWaiters } = {}) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const waiters = options.waiters ?? createRevocationFeedWaiters(deps.revocations);
    app.addHook('preClose', async () => waiters.close());
    app.get<{ Querystring: { since?: string; wait?: string } }>(
      '/auth/revocations',
      { schema: { querystring: revocationsQuery, response: { 200: revocationsResponse } } },
      async (request, reply) => {
        const gone = new AbortController();
        const onClose = () => gone.abort();
        reply.raw.once('close', onClose);
        const page = await readRevocationFeedWaiting(deps, waiters, {
          since: request.query.since,
          waitSeconds: Number(request.query.wait ?? '0'),
          signal: gone.signal,
        }).finally(() => reply.raw.off('close', onClose));
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
