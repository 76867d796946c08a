import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { completeSignIn } from '../../flows/mfa/complete-sign-in.js';
import { confirmTotp } from '../../flows/mfa/confirm-totp.js';
import { enrolTotp } from '../../flows/mfa/enrol-totp.js';
import { listFactors } from '../../flows/mfa/list-factors.js';
import type { SecondFactorAnswer } from '../../flows/mfa/prove-second-factor.js';
import { regenerateRecoveryCodes } from '../../flows/mfa/regenerate-recovery-codes.js';
import { removeFactor } from '../../flows/mfa/remove-factor.js';
import {
  factorIdParams,
  factorListResponse,
  mfaVerifyBody,
  recoveryCodesResponse,
  totpConfirmBody,
  totpConfirmResponse,
  totpEnrolBody,
  totpEnrolResponse,
} from '../mfa-schemas.js';
import { AUTH_REQUIRED } from '../openapi.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { assertSameOrigin } from '../plugins/csrf.js';
import { ipSubject, type RouteRateLimit } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';
import { emptyQuery, noContent, tokenResponse } from '../schemas.js';
import { sendSessionToken } from './session-token-response.js';
import { sendTokenPair } from './token-response.js';

const MFA_LIMITS: readonly RouteRateLimit[] = [{ rule: 'mfaPerIp', subject: ipSubject }];

type VerifyBody = { ticket: string; code?: string; recovery_code?: string };

function answerOf(body: VerifyBody): SecondFactorAnswer {
  return body.code !== undefined
    ? { kind: 'totp', code: body.code }
    : { kind: 'recovery_code', code: body.recovery_code ?? '' };
}

/** POST /auth/mfa/verify (the second step of sign-in) and the signed-in user's factors under /auth/mfa. */
export function mfaRoutes(deps: Deps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.post<{ Body: VerifyBody }>(
      '/auth/mfa/verify',
      {
        // 401: a wrong, replayed or expired answer or ticket; 429: the account locks, or the IP limit.
        config: { problems: [401, 403, 429], setsCookies: true, rateLimits: MFA_LIMITS },
        schema: { body: mfaVerifyBody, querystring: emptyQuery, response: { 200: tokenResponse } },
      },
      async (request, reply) => {
        const input = { ticket: request.body.ticket, answer: answerOf(request.body) };
        const done = await completeSignIn(deps, input, { kind: 'first_party' }, requestContext(request));
        // The tokens leave the way the first step asked for (delivery is part of the ticket).
        if (done.kind === 'stateful') {
          const delivery = done.open.delivery === 'cookie' ? 'cookie' : 'body';
          if (delivery === 'cookie') assertSameOrigin(request, deps.config);
          return sendSessionToken(deps, request, reply, done.session, delivery);
        }
        const delivery = done.open.kind === 'jwt' ? (done.open.delivery ?? 'body') : 'body';
        if (delivery !== 'body') assertSameOrigin(request, deps.config);
        return sendTokenPair(deps, request, reply, done.session, delivery);
      },
    );

    app.register(async (authenticated) => {
      authenticated.addHook('preHandler', requireAuth(deps));

      authenticated.get(
        '/auth/mfa',
        { config: AUTH_REQUIRED, schema: { querystring: emptyQuery, response: { 200: factorListResponse } } },
        async (request) => {
          const list = await listFactors(deps, principalOf(request).userId);
          return { factors: list.factors, recovery_codes_remaining: list.recoveryCodesRemaining };
        },
      );

      authenticated.post<{ Body: { label?: string } | null }>(
        '/auth/mfa/totp',
        {
          config: { ...AUTH_REQUIRED, problems: [404, 409] },
          schema: { body: totpEnrolBody, querystring: emptyQuery, response: { 201: totpEnrolResponse } },
        },
        async (request, reply) => {
          const label = request.body?.label;
          const enrolment = await enrolTotp(deps, principalOf(request), label === undefined ? {} : { label });
          return reply.code(201).header('cache-control', 'no-store').send({
            factor_id: enrolment.factorId,
            secret: enrolment.secret,
            otpauth_uri: enrolment.otpauthUri,
            qr_svg: enrolment.qrSvg,
          });
        },
      );

      authenticated.post<{ Body: { code: string } }>(
        '/auth/mfa/totp/confirm',
        {
          config: { ...AUTH_REQUIRED, problems: [404], rateLimits: MFA_LIMITS },
          schema: { body: totpConfirmBody, querystring: emptyQuery, response: { 200: totpConfirmResponse } },
        },
        async (request, reply) => {
          const result = await confirmTotp(deps, principalOf(request), request.body, requestContext(request));
          return reply.header('cache-control', 'no-store').send({
            factor: result.factor,
            ...(result.recoveryCodes !== undefined && { recovery_codes: result.recoveryCodes }),
          });
        },
      );

      authenticated.post(
        '/auth/mfa/recovery-codes',
        {
          config: { ...AUTH_REQUIRED, problems: [404] },
          schema: { querystring: emptyQuery, response: { 200: recoveryCodesResponse } },
        },
        async (request, reply) => {
          const codes = await regenerateRecoveryCodes(deps, principalOf(request), requestContext(request));
          return reply.header('cache-control', 'no-store').send({ recovery_codes: codes });
        },
      );

      authenticated.delete<{ Params: { id: string } }>(
        '/auth/mfa/factors/:id',
        {
          config: { ...AUTH_REQUIRED, problems: [404] },
          schema: { params: factorIdParams, querystring: emptyQuery, response: { 204: noContent } },
        },
        async (request, reply) => {
          await removeFactor(deps, principalOf(request), request.params.id, requestContext(request));
          return reply.code(204).send();
        },
      );
    });
  };
}
