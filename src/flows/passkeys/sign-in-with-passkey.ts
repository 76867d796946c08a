import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { signIn } from '../auth/sign-in.js';
import type { Deps, RequestContext } from '../deps.js';
import type { SessionTokenGrant } from '../sessions/open-stateful-session.js';
import type { TokenPair } from '../sessions/open-jwt-session.js';

/** POST /auth/passkeys/sign-in in JWT mode: the one login pipeline (sign-in.ts) with a passkey proof. */
export function signInWithPasskey(
  deps: Deps,
  response: AuthenticationResponseJSON,
  context: RequestContext,
): Promise<TokenPair> {
  return signIn(deps, { proof: { kind: 'passkey', response }, open: { kind: 'jwt' } }, context);
}

/** Session mode: the same pipeline, then a server-side session and an opaque session token. */
export function signInWithPasskeyForSession(
  deps: Deps,
  response: AuthenticationResponseJSON,
  context: RequestContext,
): Promise<SessionTokenGrant> {
  return signIn(deps, { proof: { kind: 'passkey', response }, open: { kind: 'stateful' } }, context);
}
