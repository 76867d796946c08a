import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { ACR_MULTI_FACTOR } from '../../wire/authentication-strength.js';
import type { RouteAuthStrength } from '../plugins/auth-strength.js';
import { principalOf, requireAuth, requireRoleHandler } from '../plugins/authenticate.js';
import { resourceResponse } from '../schemas.js';

/** The demo's default window: short, so the console can show the challenge without a long wait. */
const STEP_UP_DEMO_MAX_AGE_SECONDS = 60;

const stepUpDemoQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    max_age: {
      type: 'string',
      pattern: '^(?:0|[1-9][0-9]{0,3})$',
      description: 'How recent the sign-in must be, in seconds (0 to 9999); default 60.',
    },
  },
} as const;

/**
 * The step-up demo (RFC 9470): a recent sign-in from everyone, and a two-factor one from users who
 * have a second factor. Anyone can see the challenge and the retry after signing in again.
 */
const STEP_UP_DEMO: RouteAuthStrength = {
  acr: ACR_MULTI_FACTOR,
  freshnessForEveryone: true,
  maxAgeSeconds: (request) => {
    const asked = (request.query as { max_age?: string }).max_age;
    return asked === undefined ? STEP_UP_DEMO_MAX_AGE_SECONDS : Number(asked);
  },
};

/** The demo protected resources: any signed-in user, the `admin` role, and a recent (stepped-up) sign-in. */
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

    app.get(
      '/api/step-up-demo',
      {
        config: { ...AUTH_REQUIRED, authStrength: STEP_UP_DEMO },
        schema: { ...schema, querystring: stepUpDemoQuery },
      },
      async (request) => {
        const principal = principalOf(request);
        return { message: 'Your sign-in is recent (and strong) enough.', sub: principal.userId };
      },
    );
  };
}
