import type { FastifyInstance, FastifyRequest, preHandlerHookHandler, RouteOptions } from 'fastify';
import type { Config, RateLimitRule } from '../../config/types.js';
import type { Metrics } from '../../platform/metrics.js';
import type { EphemeralStore } from '../../stores/types.js';
import { HttpError } from '../http-error.js';

/** A configured rule (`config.rateLimits`), e.g. `loginPerIp`. */
export type RateLimitRuleName = keyof Config['rateLimits'];

/**
 * One limit a route declares in its options: `config: { rateLimits: [{ rule, subject }] }`. The
 * `subject` is what is counted (an IP, an account e-mail); `undefined` leaves this request uncounted
 * by this limit (the /oauth/token limits apply to one grant type each). It runs after validation and
 * the route's own preHandlers, so it may read the parsed body and whatever those established.
 */
export interface RouteRateLimit {
  rule: RateLimitRuleName;
  subject: (request: FastifyRequest) => string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Applied in order by the one rate-limit hook (installRateLimits); the OpenAPI document adds 429. */
    rateLimits?: readonly RouteRateLimit[];
  }
}

/**
 * Counter names: routes whose limits name the same rule share one counter per subject (a password
 * grant at /oauth/token counts with /auth/login). Stored keys are `ratelimit:<bucket>:<subject>`.
 */
const BUCKETS: Readonly<Record<RateLimitRuleName, string>> = {
  loginPerIp: 'login-ip',
  loginPerAccount: 'login-account',
  registerPerIp: 'register-ip',
  refreshPerIp: 'refresh-ip',
  recoveryPerIp: 'recovery-ip',
  recoveryPerAccount: 'recovery-account',
  linkPerIp: 'link-ip',
  mfaPerIp: 'mfa-ip',
};

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

/**
 * Applies every route's declared `config.rateLimits`, so no handler calls the limiter itself and no
 * limited route can forget it. Install in Tessera's scope before any route: each declaring route gets
 * the limiter as its last preHandler, i.e. after body parsing and validation (a malformed request is
 * never counted) and after the route's own preHandlers (/oauth/token counts only authenticated clients).
 */
export function installRateLimits(
  app: FastifyInstance,
  deps: {
    config: Pick<Config, 'rateLimits'>;
    stores: { ephemeral: EphemeralStore };
    metrics: Pick<Metrics, 'rateLimited'>;
  },
): void {
  const limiter: preHandlerHookHandler = async (request) => {
    for (const limit of request.routeOptions.config.rateLimits ?? []) {
      const subject = limit.subject(request);
      if (subject === undefined) continue;
      try {
        await enforceRateLimit(
          deps.stores.ephemeral,
          BUCKETS[limit.rule],
          subject,
          deps.config.rateLimits[limit.rule],
        );
      } catch (error) {
        // Only refusals are counted: a store that could not count (503) refused nothing.
        if (error instanceof HttpError && error.code === 'rate_limited') deps.metrics.rateLimited(limit.rule);
        throw error;
      }
    }
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    if ((route.config?.rateLimits ?? []).length === 0) return;
    const own = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [...own, limiter];
  });
}
