import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { principalOf, requireAuth, requireRoleHandler } from '../plugins/authenticate.js';
import { resourceResponse } from '../schemas.js';

/** The demo protected resources: any signed-in user, and the `admin` role. */
export function resourceRoutes(deps: Deps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireAuth(deps));

    const schema = { response: { 200: resourceResponse } };

    app.get('/api/secure', { config: AUTH_REQUIRED, schema }, async (request) => {
      const principal = principalOf(request);
      return { message: 'You reached a protected resource.', sub: principal.userId };
    });

    app.get(
      '/api/admin',
      { config: { ...AUTH_REQUIRED, problems: [403] }, schema, preHandler: requireRoleHandler('admin') },
      async (request) => {
        const principal = principalOf(request);
        return { message: 'You reached an admin-only resource.', sub: principal.userId };
      },
    );
  };
}
