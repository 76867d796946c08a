import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { authorizationValues } from '../token/bearer-credential.js';
import { assertValidRequirement } from '../token/step-up.js';
import { authenticateRequest, type RouteAuthOptions } from './authenticate-request.js';
import type { VerifiedClaims, Verifier } from './create-verifier.js';

/** Claims of the requests the hooks let through; a WeakMap, so no global type augmentation is needed. */
const claimsByRequest = new WeakMap<FastifyRequest, VerifiedClaims>();

/** The verified claims of a request that passed a Tessera hook. */
export function tokenClaimsOf(request: FastifyRequest): VerifiedClaims {
  const claims = claimsByRequest.get(request);
  if (claims === undefined)
    throw new TypeError('tokenClaimsOf: this route is not protected by tessera/verify.');
  return claims;
}

/**
 * A preHandler for one route: `{ preHandler: fastifyRequireToken(verifier, { roles: ['admin'] }) }`.
 * Refusals are RFC 6750 answers (401 invalid_token, 403 insufficient_scope, 400 invalid_request), and
 * RFC 9470's 401 insufficient_user_authentication when the route asks for a sign-in strength
 * (`acr`) or recency (`maxAgeSeconds`) the token's `acr` / `auth_time` do not meet.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { ACR_MULTI_FACTOR, createVerifier, fastifyRequireToken } from 'tessera/verify';
 *
 * const verifier = createVerifier({
 *   jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   algorithms: ['ES256'],
 * });
 * const app = Fastify();
 * // A transfer needs a two-factor sign-in from the last 5 minutes.
 * app.post(
 *   '/transfers',
 *   { preHandler: fastifyRequireToken(verifier, { acr: ACR_MULTI_FACTOR, maxAgeSeconds: 300 }) },
 *   async () => ({ ok: true }),
 * );
 * ```
 */
export function fastifyRequireToken(
  verifier: Verifier,
  options: RouteAuthOptions = {},
): preHandlerAsyncHookHandler {
  assertValidRequirement(options); // a wrong level or age fails at start-up, not per request
  return async function requireToken(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const presented = { authorization: authorizationValues(request.raw.rawHeaders), url: request.url };
    const outcome = await authenticateRequest(verifier, presented, options);
    if (outcome.ok) {
      claimsByRequest.set(request, outcome.claims);
      return;
    }
    return reply.code(outcome.answer.status).headers(outcome.answer.headers).send(outcome.answer.body);
  };
}

export interface TesseraVerifyPluginOptions extends RouteAuthOptions {
  verifier: Verifier;
}

/**
 * Protects every route of the scope it is registered in (fastify-plugin lifts the hook out of the
 * plugin's own encapsulation into that scope), with the given roles and scopes. Register it inside
 * a child scope to protect only some routes; add fastifyRequireToken on a route to ask for more.
 */
export const tesseraVerifyPlugin = fp(
  async function tesseraVerify(app: FastifyInstance, options: TesseraVerifyPluginOptions): Promise<void> {
    app.addHook('preHandler', fastifyRequireToken(options.verifier, options));
  },
  { name: 'tessera-verify', fastify: '5.x' },
);
