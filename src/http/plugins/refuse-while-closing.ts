import type { FastifyInstance } from 'fastify';
import { HttpError } from '../http-error.js';

/**
 * A request that reaches the server once it has begun closing (pipelined, or on a keep-alive
 * connection) is answered 503 `service_unavailable` as problem+json with the security headers, like
 * every other error. Fastify's own `return503OnClosing` answer is a bare `{error, message, statusCode}`
 * written before any hook runs, so build-app.ts turns it off and this hook answers instead; requests
 * already past onRequest are finished as usual (graceful shutdown). Fastify adds `Connection: close`.
 */
export function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async () => {
    if (closing) {
      throw new HttpError('service_unavailable', 'The server is shutting down; retry shortly.', {
        retryAfterSeconds: 1,
      });
    }
  });
}
