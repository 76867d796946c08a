import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { LoginMode } from '../../config/types.js';
import type { Deps } from '../../flows/deps.js';
import { beginPasskeyRegistration } from '../../flows/passkeys/begin-passkey-registration.js';
import { beginPasskeySignIn } from '../../flows/passkeys/begin-passkey-sign-in.js';
import { finishPasskeyRegistration } from '../../flows/passkeys/finish-passkey-registration.js';
import { deletePasskey, listPasskeys, renamePasskey } from '../../flows/passkeys/manage-passkeys.js';
import { signInWithPasskey, signInWithPasskeyForSession } from '../../flows/passkeys/sign-in-with-passkey.js';
import { HttpError } from '../http-error.js';
import { AUTH_REQUIRED } from '../openapi.js';
import {
  creationOptionsResponse,
  emptyBody,
  passkeyIdParams,
  passkeyRegistrationBody,
  passkeyRenameBody,
  passkeyResponse,
  passkeySignInBody,
  passkeysResponse,
  requestOptionsResponse,
} from '../passkey-schemas.js';
import { principalOf, requireAuth } from '../plugins/authenticate.js';
import { assertSameOrigin } from '../plugins/csrf.js';
import { ipSubject, type RouteRateLimit } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';
import { emptyQuery, noContent, signInQuery, tokenResponse } from '../schemas.js';
import { sendSessionToken } from './session-token-response.js';
import { sendTokenPair } from './token-response.js';

/** Passkey sign-ins count with password logins per IP: one budget for guessing at the front door. */
const SIGN_IN_LIMITS: readonly RouteRateLimit[] = [{ rule: 'loginPerIp', subject: ipSubject }];

type Delivery = 'body' | 'cookie' | 'refresh_cookie';
type SignInQuery = { delivery?: Delivery; mode?: LoginMode };

/** /auth/passkeys/*: WebAuthn registration, passwordless sign-in and the user's own passkeys. */
export function passkeyRoutes(deps: Deps) {
  const { config } = deps;
  const auth = { preHandler: requireAuth(deps) };

  return async function routes(app: FastifyInstance): Promise<void> {
    app.post(
      '/auth/passkeys/registration/options',
      {
        config: { ...AUTH_REQUIRED, problems: [404] },
        schema: { body: emptyBody, querystring: emptyQuery, response: { 200: creationOptionsResponse } },
        ...auth,
      },
      async (request, reply) => {
        const options = await beginPasskeyRegistration(deps, principalOf(request));
        return reply.header('cache-control', 'no-store').send(options);
      },
    );

    app.post<{ Body: { name?: string; response: RegistrationResponseJSON } }>(
      '/auth/passkeys',
      {
        config: { ...AUTH_REQUIRED, problems: [400, 409] },
        schema: {
          body: passkeyRegistrationBody,
          querystring: emptyQuery,
          response: { 201: passkeyResponse },
        },
        ...auth,
      },
      async (request, reply) => {
        const passkey = await finishPasskeyRegistration(
          deps,
          principalOf(request),
          request.body,
          requestContext(request),
        );
        return reply.code(201).send({ passkey });
      },
    );

    app.get(
      '/auth/passkeys',
      {
        config: AUTH_REQUIRED,
        schema: { querystring: emptyQuery, response: { 200: passkeysResponse } },
        ...auth,
      },
      async (request) => ({ passkeys: await listPasskeys(deps, principalOf(request)) }),
    );

    app.patch<{ Params: { id: string }; Body: { name: string } }>(
      '/auth/passkeys/:id',
      {
        config: { ...AUTH_REQUIRED, problems: [404] },
        schema: {
          params: passkeyIdParams,
          body: passkeyRenameBody,
          querystring: emptyQuery,
          response: { 200: passkeyResponse },
        },
        ...auth,
      },
      async (request) => ({
        passkey: await renamePasskey(
          deps,
          principalOf(request),
          request.params.id,
          request.body.name,
          requestContext(request),
        ),
      }),
    );

    app.delete<{ Params: { id: string } }>(
      '/auth/passkeys/:id',
      {
        config: { ...AUTH_REQUIRED, problems: [404, 409] },
        schema: { params: passkeyIdParams, querystring: emptyQuery, response: { 204: noContent } },
        ...auth,
      },
      async (request, reply) => {
        await deletePasskey(deps, principalOf(request), request.params.id, requestContext(request));
        return reply.code(204).send();
      },
    );

    app.post(
      '/auth/passkeys/sign-in/options',
      {
        config: { rateLimits: SIGN_IN_LIMITS },
        schema: { body: emptyBody, querystring: emptyQuery, response: { 200: requestOptionsResponse } },
      },
      async (_request, reply) => {
        const options = await beginPasskeySignIn(deps);
        return reply.header('cache-control', 'no-store').send(options);
      },
    );

    app.post<{ Body: { response: AuthenticationResponseJSON }; Querystring: SignInQuery }>(
      '/auth/passkeys/sign-in',
      {
        config: { problems: [400, 401, 403, 429], setsCookies: true, rateLimits: SIGN_IN_LIMITS },
        schema: { body: passkeySignInBody, querystring: signInQuery, response: { 200: tokenResponse } },
      },
      async (request, reply) => {
        const delivery = request.query.delivery ?? (config.cookieMode ? 'cookie' : 'body');
        if (delivery !== 'body') assertSameOrigin(request, config); // login CSRF
        const context = requestContext(request);
        if ((request.query.mode ?? config.defaultLoginMode) === 'session') {
          if (delivery === 'refresh_cookie') {
            throw new HttpError('invalid_request', 'delivery=refresh_cookie applies to JWT sign-in only.');
          }
          const grant = await signInWithPasskeyForSession(deps, request.body.response, context);
          return sendSessionToken(deps, request, reply, grant, delivery);
        }
        const pair = await signInWithPasskey(deps, request.body.response, context);
        return sendTokenPair(deps, request, reply, pair, delivery);
      },
    );
  };
}
