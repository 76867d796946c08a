import type { FastifyInstance } from 'fastify';
import { changePassword } from '../../flows/auth/change-password.js';
import type { Deps } from '../../flows/deps.js';
import { getCurrentUser, listSessions, revokeSession } from '../../flows/sessions/own-sessions.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { SENSITIVE_ACCOUNT_CHANGE, type RouteAuthStrength } from '../plugins/auth-strength.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { requestContext } from '../request-context.js';
import {
  changePasswordBody,
  emptyQuery,
  noContent,
  sessionIdParams,
  sessionsResponse,
  userResponse,
} from '../schemas.js';

/** Revoking another of one's sessions is sensitive; ending the current one (signing out) is not. */
const REVOKE_OTHER_SESSION: RouteAuthStrength = {
  ...SENSITIVE_ACCOUNT_CHANGE,
  appliesTo: (request, principal) => (request.params as { id: string }).id !== principal.sessionId,
};

/** /auth/me, /auth/password and /auth/sessions: the signed-in user's own record, password and devices. */
export function accountRoutes(deps: Deps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.addHook('preHandler', requireAuth(deps));

    app.get(
      '/auth/me',
      {
        config: { ...AUTH_REQUIRED, problems: [404] },
        schema: { querystring: emptyQuery, response: { 200: userResponse } },
      },
      async (request) => ({
        user: await getCurrentUser(deps, principalOf(request)),
      }),
    );

    app.post<{ Body: { current_password: string; new_password: string } }>(
      '/auth/password',
      {
        // 404: the user was deleted under a valid token; 429: wrong current passwords lock the account.
        config: { ...AUTH_REQUIRED, problems: [404, 429], authStrength: SENSITIVE_ACCOUNT_CHANGE },
        schema: { body: changePasswordBody, querystring: emptyQuery, response: { 204: noContent } },
      },
      async (request, reply) => {
        const { current_password: currentPassword, new_password: newPassword } = request.body;
        const input = { currentPassword, newPassword };
        await changePassword(deps, principalOf(request), input, requestContext(request));
        return reply.code(204).send();
      },
    );

    app.get(
      '/auth/sessions',
      { config: AUTH_REQUIRED, schema: { querystring: emptyQuery, response: { 200: sessionsResponse } } },
      async (request) => ({
        sessions: await listSessions(deps, principalOf(request)),
      }),
    );

    app.delete<{ Params: { id: string } }>(
      '/auth/sessions/:id',
      {
        config: { ...AUTH_REQUIRED, problems: [404], authStrength: REVOKE_OTHER_SESSION },
        schema: { params: sessionIdParams, querystring: emptyQuery, response: { 204: noContent } },
      },
      async (request, reply) => {
        await revokeSession(deps, principalOf(request), request.params.id, requestContext(request));
        return reply.code(204).send();
      },
    );
  };
}
