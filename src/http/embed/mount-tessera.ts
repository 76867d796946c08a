import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { prepareTesseraScope, registerTesseraRoutes } from '../tessera-scope.js';
import { createHostGuards } from './host-guards.js';

/**
 * Mounts Tessera into `app` (the host's context): Tessera's routes, hooks, error answers and parsers
 * live in one encapsulated child under `prefix` and reach none of the host's other routes. The host
 * context gets only what its own routes need for the guards: the cookie parser (unless the host has
 * one), `request.principal` and `app.tessera`. The Fastify plugin and the Web-standard handler both
 * mount Tessera this way.
 */
export async function mountTessera(app: FastifyInstance, deps: Deps, prefix: string): Promise<void> {
  if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
  if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null);
  if (!app.hasRequestDecorator('credentialSource')) app.decorateRequest('credentialSource', null);
  app.decorate('tessera', createHostGuards(deps));
  await app.register(
    async (scope) => {
      // The host's server decides its own body limit; Tessera's routes keep the configured one.
      scope.addHook('onRoute', (route) => {
        route.bodyLimit ??= deps.config.bodyLimitBytes;
      });
      await prepareTesseraScope(scope, deps);
      await registerTesseraRoutes(scope, deps, { demoResources: false });
    },
    { prefix },
  );
}
