import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { exportPublicJwks } from '../../flows/keys/key-admin.js';
import { JWKS_MAX_AGE_SECONDS } from '../../keys/jwks.js';
import { jwksResponse, statusResponse } from '../schemas.js';

export { JWKS_MAX_AGE_SECONDS };

/** /.well-known/jwks.json and the health probes. */
export function discoveryRoutes(deps: Deps) {
  // The same set `tessera keys export-public` prints, serialised once per keyring version.
  let cached: { version: number; body: string } | undefined;
  const jwks = (): string => {
    if (cached?.version !== deps.keys.version) {
      cached = { version: deps.keys.version, body: JSON.stringify(exportPublicJwks(deps)) };
    }
    return cached.body;
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get(
      '/.well-known/jwks.json',
      { schema: { response: { 200: jwksResponse } } },
      async (_request, reply) =>
        reply
          .header('content-type', 'application/jwk-set+json; charset=utf-8')
          .header('cache-control', `public, max-age=${JWKS_MAX_AGE_SECONDS}`)
          .send(jwks()),
    );

    app.get('/healthz', { schema: { response: { 200: statusResponse } } }, async () => ({ status: 'ok' }));

    app.get(
      '/readyz',
      { schema: { response: { 200: statusResponse, 503: statusResponse } } },
      async (_request, reply) => {
        const ready = await deps.stores.ping().catch(() => false);
        return reply
          .code(ready ? 200 : 503)
          .header('cache-control', 'no-store')
          .send({ status: ready ? 'ready' : 'unavailable' });
      },
    );
  };
}
