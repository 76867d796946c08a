import { authenticateAccessToken } from './authenticate-access-token.js';
import { authenticateSessionToken } from './authenticate-session-token.js';
import type { Deps } from '../deps.js';
import { parseOpaqueToken } from '../sessions/opaque-token.js';
import type { Principal } from './principal.js';

/**
 * A presented credential and what the transport knows of its kind: a cookie's name says which kind
 * it holds (`session` or `access`); a bearer header says nothing (`unknown`).
 */
export interface PresentedToken {
  token: string;
  declaredKind: 'session' | 'access' | 'unknown';
}

/**
 * The one answer to "which kind of credential is this?". A declared kind is trusted as declared (a
 * session cookie is verified as a session token, an access cookie as a JWT); an undeclared one is
 * told apart by shape (authenticateBearerToken).
 */
export function authenticateCredential(deps: Deps, presented: PresentedToken): Promise<Principal> {
  switch (presented.declaredKind) {
    case 'session':
      return authenticateSessionToken(deps, presented.token);
    case 'access':
      return authenticateAccessToken(deps, presented.token);
    case 'unknown':
      return authenticateBearerToken(deps, presented.token);
  }
}

/**
 * A bearer credential of either mode, told apart by shape: exactly the opaque-token shape
 * (`<22 chars>.<43 chars>`, one dot) is a session token; anything else goes to the access-token
 * verifier, which accepts only a JWS (exactly two dots) and answers `token_malformed` (or
 * `token_too_large`) for the rest. The two shapes cannot overlap, so no token is tried twice.
 */
export function authenticateBearerToken(deps: Deps, token: string): Promise<Principal> {
  return parseOpaqueToken(token) === undefined
    ? authenticateAccessToken(deps, token)
    : authenticateSessionToken(deps, token);
}
