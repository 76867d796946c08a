import { authenticateAccessToken } from './authenticate.js';
import { authenticateSessionToken } from './authenticate-session.js';
import type { Deps } from './deps.js';
import { parseOpaqueToken } from './opaque-token.js';
import type { Principal } from './principal.js';

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
