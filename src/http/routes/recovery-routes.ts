import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { normalizeEmail, parseEmail } from '../../flows/auth/email-address.js';
import { confirmEmailChange } from '../../flows/recovery/confirm-email-change.js';
import { requestEmailChange } from '../../flows/recovery/request-email-change.js';
import { requestPasswordReset } from '../../flows/recovery/request-password-reset.js';
import { resendVerification } from '../../flows/recovery/resend-verification.js';
import { resetPassword } from '../../flows/recovery/reset-password.js';
import { verifyEmail } from '../../flows/recovery/verify-email.js';
import { createDetachedTasks } from '../detached-tasks.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { SENSITIVE_ACCOUNT_CHANGE } from '../plugins/auth-strength.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { ipSubject, type RouteRateLimit } from '../plugins/rate-limit.js';
import {
  acceptedResponse,
  changeEmailBody,
  emailBody,
  linkTokenBody,
  resetPasswordBody,
  userOnlyResponse,
} from '../recovery-schemas.js';
import { requestContext } from '../request-context.js';
import { emptyQuery, noContent } from '../schemas.js';

const bodyEmail = (field: string) => (request: FastifyRequest) =>
  normalizeEmail((request.body as Record<string, string>)[field] ?? '');

// Asking for mail: per IP and per address (known or not, so the limit itself reveals nothing).
const MAIL_LIMITS: readonly RouteRateLimit[] = [
  { rule: 'recoveryPerIp', subject: ipSubject },
  { rule: 'recoveryPerAccount', subject: bodyEmail('email') },
];
const CHANGE_LIMITS: readonly RouteRateLimit[] = [
  { rule: 'recoveryPerIp', subject: ipSubject },
  { rule: 'recoveryPerAccount', subject: bodyEmail('new_email') },
];
// Presenting a link: per IP, so guessing tokens is slow as well as hopeless.
const LINK_LIMITS: readonly RouteRateLimit[] = [{ rule: 'linkPerIp', subject: ipSubject }];

const SENT = 'If this address belongs to an account, a message is on its way.';
const CHANGE_SENT = 'Follow the link sent to the new address to confirm the change.';

/**
 * Account recovery and verified addresses (docs/account-recovery.md): e-mail verification, password
 * reset and e-mail change. Tokens travel only in JSON bodies, never in URLs, so no access log holds one.
 */
export function recoveryRoutes(deps: Deps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    const detached = createDetachedTasks(deps.logger);
    app.addHook('onClose', () => detached.settled());

    app.post<{ Body: { email: string } }>(
      '/auth/password/forgot',
      {
        config: { problems: [400], rateLimits: MAIL_LIMITS },
        schema: { body: emailBody, querystring: emptyQuery, response: { 202: acceptedResponse } },
      },
      async (request, reply) => {
        const email = parseEmail(request.body.email);
        const context = requestContext(request);
        detached.run('password_reset', () => requestPasswordReset(deps, email, context));
        return reply.code(202).header('cache-control', 'no-store').send({ message: SENT });
      },
    );

    app.post<{ Body: { token: string; new_password: string } }>(
      '/auth/password/reset',
      {
        config: { problems: [400, 404, 410], rateLimits: LINK_LIMITS },
        schema: { body: resetPasswordBody, querystring: emptyQuery, response: { 204: noContent } },
      },
      async (request, reply) => {
        const { token, new_password: newPassword } = request.body;
        await resetPassword(deps, { token, newPassword }, requestContext(request));
        return reply.code(204).header('cache-control', 'no-store').send();
      },
    );

    app.post<{ Body: { token: string } }>(
      '/auth/email/verify',
      {
        config: { problems: [400, 404, 410], rateLimits: LINK_LIMITS },
        schema: { body: linkTokenBody, querystring: emptyQuery, response: { 200: userOnlyResponse } },
      },
      async (request, reply) => {
        const user = await verifyEmail(deps, request.body.token, requestContext(request));
        return reply.header('cache-control', 'no-store').send({ user });
      },
    );

    app.post<{ Body: { email: string } }>(
      '/auth/email/verify/resend',
      {
        config: { problems: [400], rateLimits: MAIL_LIMITS },
        schema: { body: emailBody, querystring: emptyQuery, response: { 202: acceptedResponse } },
      },
      async (request, reply) => {
        const email = parseEmail(request.body.email);
        const context = requestContext(request);
        detached.run('verify_email', () => resendVerification(deps, email, context));
        return reply.code(202).header('cache-control', 'no-store').send({ message: SENT });
      },
    );

    app.post<{ Body: { new_email: string; password: string } }>(
      '/auth/email/change',
      {
        config: {
          ...AUTH_REQUIRED,
          problems: [400, 404, 429],
          rateLimits: CHANGE_LIMITS,
          authStrength: SENSITIVE_ACCOUNT_CHANGE,
        },
        schema: { body: changeEmailBody, querystring: emptyQuery, response: { 202: acceptedResponse } },
        preHandler: requireAuth(deps),
      },
      async (request, reply) => {
        const { new_email: newEmail, password } = request.body;
        const input = { newEmail, password };
        await requestEmailChange(deps, principalOf(request), input, requestContext(request));
        return reply.code(202).header('cache-control', 'no-store').send({ message: CHANGE_SENT });
      },
    );

    app.post<{ Body: { token: string } }>(
      '/auth/email/change/confirm',
      {
        config: { problems: [400, 404, 409, 410], rateLimits: LINK_LIMITS },
        schema: { body: linkTokenBody, querystring: emptyQuery, response: { 200: userOnlyResponse } },
      },
      async (request, reply) => {
        const user = await confirmEmailChange(deps, request.body.token, requestContext(request));
        return reply.header('cache-control', 'no-store').send({ user });
      },
    );
  };
}
