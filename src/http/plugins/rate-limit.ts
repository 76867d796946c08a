import type { FastifyRequest } from 'fastify';
import type { RateLimitRule } from '../../config/types.js';
import type { EphemeralStore } from '../../stores/types.js';
import { HttpError } from '../http-error.js';

/**
 * Fixed-window counters in the ephemeral store (memory now, Redis when configured, so limits hold
 * across instances). The first request of a window sets its lifetime; `Retry-After` is what is left.
 */
export async function enforceRateLimit(
  store: EphemeralStore,
  bucket: string,
  subject: string,
  rule: RateLimitRule,
): Promise<void> {
  const { count, ttlSeconds } = await store.increment(`ratelimit:${bucket}:${subject}`, rule.windowSeconds);
  if (count > rule.max) {
    throw new HttpError('rate_limited', 'Too many requests; slow down.', {
      retryAfterSeconds: Math.max(1, ttlSeconds),
    });
  }
}

/** Per-IP key; `request.ip` already honours the trustProxy setting. */
export function ipSubject(request: FastifyRequest): string {
  return request.ip || 'unknown';
}
