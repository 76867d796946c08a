import { authorizationValues } from '../token/bearer-credential.js';
import { assertValidRequirement } from '../token/step-up.js';
import { authenticateRequest, type RouteAuthOptions } from './authenticate-request.js';
import type { VerifiedClaims, Verifier } from './create-verifier.js';

/**
 * The few members of Express's request and response the middleware uses, declared here so that
 * tessera/verify never imports express (any Node http server with Express-like `next` fits).
 */
export interface ExpressLikeRequest {
  headers: { authorization?: string | string[] | undefined };
  /** Node's raw header list: lets two Authorization headers be refused (`headers` keeps the first). */
  rawHeaders?: readonly string[];
  /** Express's original request target (path and query), else Node's `url`: for the query check. */
  originalUrl?: string;
  url?: string;
  /** Set to the verified claims when the token passes. */
  auth?: VerifiedClaims;
}

export interface ExpressLikeResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body: string): unknown;
}

export type ExpressLikeNext = (error?: unknown) => void;

/**
 * The claims expressRequireToken put on the request, typed (Express's own Request type does not know
 * `auth`). Throws on a route the middleware does not protect: a wiring mistake, not a client error.
 */
export function expressClaimsOf(req: object): VerifiedClaims {
  const claims = (req as ExpressLikeRequest).auth;
  if (claims === undefined)
    throw new TypeError('expressClaimsOf: this route is not protected by expressRequireToken.');
  return claims;
}

/**
 * `app.get('/admin', expressRequireToken(verifier, { roles: ['admin'] }), handler)`: verifies the
 * Bearer token, puts the claims on `req.auth`, and answers refusals itself per RFC 6750 (and RFC 9470
 * for `acr` / `maxAgeSeconds`: 401 insufficient_user_authentication with `acr_values` / `max_age`).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { ACR_MULTI_FACTOR, createVerifier, expressRequireToken } from 'tessera/verify';
 *
 * const verifier = createVerifier({
 *   jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *   issuer: 'https://auth.example.com',
 *   audience: 'https://api.example.com',
 *   algorithms: ['ES256'],
 * });
 * const app = express();
 * const stepUp = expressRequireToken(verifier, { acr: ACR_MULTI_FACTOR, maxAgeSeconds: 300 });
 * app.post('/transfers', stepUp, (req, res) => res.json({ ok: true }));
 * ```
 */
export function expressRequireToken(verifier: Verifier, options: RouteAuthOptions = {}) {
  assertValidRequirement(options); // a wrong level or age fails at start-up, not per request
  return function requireToken(
    req: ExpressLikeRequest,
    res: ExpressLikeResponse,
    next: ExpressLikeNext,
  ): void {
    const presented = {
      authorization:
        req.rawHeaders === undefined ? req.headers.authorization : authorizationValues(req.rawHeaders),
      url: req.originalUrl ?? req.url,
    };
    authenticateRequest(verifier, presented, options).then(
      (outcome) => {
        if (outcome.ok) {
          req.auth = outcome.claims;
          next();
          return;
        }
        res.statusCode = outcome.answer.status;
        for (const [name, value] of Object.entries(outcome.answer.headers)) res.setHeader(name, value);
        res.end(JSON.stringify(outcome.answer.body));
      },
      (error: unknown) => next(error),
    );
  };
}
