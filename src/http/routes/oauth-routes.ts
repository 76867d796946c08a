import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { normalizeEmail } from '../../flows/auth/email-address.js';
import { authenticateClient } from '../../flows/oauth/client-auth.js';
import type { OAuthClient } from '../../flows/oauth/clients.js';
import { OAuthError } from '../../flows/oauth/oauth-error.js';
import { introspectToken } from '../../flows/oauth/introspect.js';
import { revokeToken } from '../../flows/oauth/revoke.js';
import { exchangeToken, type TokenRequest } from '../../flows/oauth/token-grants.js';
import { readClientCredentials } from '../oauth/client-credentials.js';
import { parseFormParameters, repeatedParameter } from '../oauth/form-parameters.js';
import { installOAuthErrorHandler } from '../oauth/oauth-error-reply.js';
import {
  introspectionResponse,
  oauthTokenResponse,
  revokeResponse,
  tokenLookupBody,
  tokenRequestBody,
} from '../oauth/oauth-schemas.js';
import { enforceRateLimit, ipSubject } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';

type Params = Record<string, string | undefined>;
/** Form bodies in, RFC 6749 §5.2 errors out; every client can fail authentication (401 invalid_client). */
const FORM = Object.freeze({ formBody: true, oauthErrors: true, problems: [401] });

/**
 * /oauth/token (RFC 6749), /oauth/revoke (RFC 7009), /oauth/introspect (RFC 7662). An encapsulated
 * plugin: the form-body parser, the RFC 6749 §5.2 error answers and the no-store headers apply here
 * only. The /auth/* routes keep refusing form bodies, which their CSRF defence relies on (a
 * cross-site <form> cannot send JSON).
 */
export function oauthRoutes(deps: Deps) {
  const { config, stores } = deps;

  return async function routes(app: FastifyInstance): Promise<void> {
    // Form bodies only (RFC 6749 §4.3.2, RFC 7009 §2.1, RFC 7662 §2.1): JSON is refused here.
    app.removeAllContentTypeParsers();
    await app.register(formbody, { parser: parseFormParameters });
    installOAuthErrorHandler(app, deps.logger);
    app.addHook('onSend', async (_request, reply) => {
      // RFC 6749 §5.1: answers carrying tokens (and, to be safe, every answer here) are never cached.
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    });
    app.addHook('preValidation', async (request) => {
      const repeated = repeatedParameter(request.body);
      if (repeated !== undefined) {
        throw new OAuthError(
          'invalid_request',
          `The ${repeated.slice(0, 40).replace(/[^\w]/g, '')} parameter is repeated.`,
        );
      }
    });

    const clientOf = (request: FastifyRequest): Promise<OAuthClient> =>
      authenticateClient(deps, readClientCredentials(request, request.body as Record<string, unknown>));

    app.post<{ Body: TokenRequest & Params }>(
      '/oauth/token',
      {
        config: { ...FORM, problems: [401, 429] },
        schema: { body: tokenRequestBody, response: { 200: oauthTokenResponse } },
      },
      async (request) => {
        const client = await clientOf(request);
        const body = request.body;
        if (body.grant_type === 'password') {
          await enforceRateLimit(
            stores.ephemeral,
            'login-ip',
            ipSubject(request),
            config.rateLimits.loginPerIp,
          );
          if (body.username !== undefined) {
            await enforceRateLimit(
              stores.ephemeral,
              'login-account',
              normalizeEmail(body.username),
              config.rateLimits.loginPerAccount,
            );
          }
        } else if (body.grant_type === 'refresh_token') {
          await enforceRateLimit(
            stores.ephemeral,
            'refresh-ip',
            ipSubject(request),
            config.rateLimits.refreshPerIp,
          );
        }
        return exchangeToken(deps, client, body, requestContext(request));
      },
    );

    app.post<{ Body: { token: string; token_type_hint?: string } & Params }>(
      '/oauth/revoke',
      { config: FORM, schema: { body: tokenLookupBody, response: { 200: revokeResponse } } },
      async (request, reply) => {
        const client = await clientOf(request);
        await revokeToken(deps, client, request.body, requestContext(request));
        return reply.code(200).send();
      },
    );

    app.post<{ Body: { token: string; token_type_hint?: string } & Params }>(
      '/oauth/introspect',
      { config: FORM, schema: { body: tokenLookupBody, response: { 200: introspectionResponse } } },
      async (request) => introspectToken(deps, await clientOf(request), request.body),
    );
  };
}
