import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import { normalizeEmail } from '../../flows/auth/email-address.js';
import { authenticateClient } from '../../flows/oauth/client-auth.js';
import type { OAuthClient } from '../../flows/oauth/clients.js';
import { OAuthError } from '../../flows/oauth/oauth-error.js';
import { introspectToken } from '../../flows/oauth/introspect.js';
import { revokeToken } from '../../flows/oauth/revoke.js';
import { exchangeToken, MFA_GRANT_TYPE, type TokenRequest } from '../../flows/oauth/token-grants.js';
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
import { ipSubject, type RouteRateLimit } from '../plugins/rate-limit.js';
import { requestContext } from '../request-context.js';

type Params = Record<string, string | undefined>;
/** Form bodies in, RFC 6749 §5.2 errors out; every client can fail authentication (401 invalid_client). */
const FORM = Object.freeze({ formBody: true, oauthErrors: true, problems: [401] });

type TokenForm = { grant_type?: string; username?: string };
const grantOf = (request: FastifyRequest): TokenForm => request.body as TokenForm;
/**
 * The password grant counts with /auth/login (per IP and, when a username is sent, per account), the
 * refresh_token grant with /auth/refresh; applied by the rate-limit hook (plugins/rate-limit.ts).
 */
const TOKEN_LIMITS: readonly RouteRateLimit[] = [
  { rule: 'loginPerIp', subject: (r) => (grantOf(r).grant_type === 'password' ? ipSubject(r) : undefined) },
  {
    rule: 'loginPerAccount',
    subject: (r) => {
      const { grant_type, username } = grantOf(r);
      return grant_type === 'password' && username !== undefined ? normalizeEmail(username) : undefined;
    },
  },
  {
    rule: 'refreshPerIp',
    subject: (r) => (grantOf(r).grant_type === 'refresh_token' ? ipSubject(r) : undefined),
  },
  { rule: 'mfaPerIp', subject: (r) => (grantOf(r).grant_type === MFA_GRANT_TYPE ? ipSubject(r) : undefined) },
];

/**
 * /oauth/token (RFC 6749), /oauth/revoke (RFC 7009), /oauth/introspect (RFC 7662). An encapsulated
 * plugin: the form-body parser, the RFC 6749 §5.2 error answers and the no-store headers apply here
 * only. The /auth/* routes keep refusing form bodies, which their CSRF defence relies on (a
 * cross-site <form> cannot send JSON).
 */
export function oauthRoutes(deps: Deps) {
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
    // Client authentication runs as the route's preHandler, before its rate limits: only requests of
    // authenticated clients are counted, and a failing client is answered 401, never 429.
    const clients = new WeakMap<FastifyRequest, OAuthClient>();
    const authenticateTokenClient = async (request: FastifyRequest): Promise<void> => {
      clients.set(request, await clientOf(request));
    };

    app.post<{ Body: TokenRequest & Params }>(
      '/oauth/token',
      {
        // 403: mfa_required, the password grant of a user with a second factor (decision 0047).
        config: { ...FORM, problems: [...FORM.problems, 403], rateLimits: TOKEN_LIMITS },
        schema: { body: tokenRequestBody, response: { 200: oauthTokenResponse } },
        preHandler: authenticateTokenClient,
      },
      async (request) => exchangeToken(deps, clients.get(request)!, request.body, requestContext(request)),
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
