import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Config } from '../config/types.js';

/**
 * Node checks its header and request timeouts on a timer (30 s by default), so a slow client would
 * outlive its timeout by up to that much. A quarter of the headers timeout keeps the overshoot small;
 * the check walks the open connections, which at these rates costs nothing measurable.
 */
function checkingIntervalMs(config: Config): number {
  return Math.min(30_000, Math.max(250, (config.headersTimeoutSeconds * 1000) / 4));
}

/**
 * The server options that keep slow or idle clients from holding connections (Fastify's own default
 * request timeout is 0, no limit): header and whole-request timeouts (answered 408 request_timeout by
 * the clientErrorHandler) and the keep-alive timeout.
 */
export function connectionTimeouts(config: Config): Pick<
  FastifyServerOptions,
  'requestTimeout' | 'keepAliveTimeout'
> & {
  http: { headersTimeout: number; requestTimeout: number; connectionsCheckingInterval: number };
} {
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    keepAliveTimeout: config.keepAliveTimeoutSeconds * 1000,
    http: {
      headersTimeout: config.headersTimeoutSeconds * 1000,
      requestTimeout,
      connectionsCheckingInterval: checkingIntervalMs(config),
    },
  };
}

/** Beyond `maxConnections` open connections Node closes each new one at once, before reading it. */
export function limitConnections(app: FastifyInstance, config: Config): void {
  app.server.maxConnections = config.maxConnections;
}
