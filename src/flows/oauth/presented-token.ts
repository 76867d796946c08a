import { FIRST_PARTY_CLIENT_ID, type AccessTokenClaims } from '../sessions/access-tokens.js';
import type { Deps } from '../deps.js';
import { OAuthError } from './oauth-error.js';
import { parseOpaqueToken, tokenSecretMatches } from '../sessions/opaque-token.js';
import type { RefreshTokenRecord, SessionRecord } from '../../stores/types.js';

/** RFC 7009 §2.1 / RFC 7662 §2.1 hint values Tessera knows; the session token is Tessera's own type. */
export const TOKEN_TYPE_HINTS = ['access_token', 'refresh_token', 'session_token'] as const;
export type TokenTypeHint = (typeof TOKEN_TYPE_HINTS)[number];

/** A token Tessera issued, found and verified (signature, or the stored hash of its secret). */
export type PresentedToken =
  | { kind: 'access_token'; clientId: string; claims: AccessTokenClaims }
  | { kind: 'refresh_token'; clientId: string; token: RefreshTokenRecord; session: SessionRecord }
  | { kind: 'session_token'; clientId: string; session: SessionRecord };

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Checks the hint: an unknown value names a token type Tessera does not support (RFC 7009 §2.2.1). */
export function parseTokenTypeHint(hint: string | undefined): TokenTypeHint | undefined {
  if (hint === undefined) return undefined;
  if (!(TOKEN_TYPE_HINTS as readonly string[]).includes(hint)) {
    throw new OAuthError(
      'unsupported_token_type',
      'Supported token types: access_token, refresh_token, session_token.',
    );
  }
  return hint as TokenTypeHint;
}

/**
 * Finds what a presented token is, without changing anything. The shape tells a JWT from an opaque
 * `id.secret` token; an opaque one is looked up as a refresh token and as a session token (the hint
 * only decides the order, RFC 7009 §2.1). Undefined for anything Tessera did not issue: a bad
 * signature, an expired JWT, an unknown id or a wrong secret. Expiry and revocation of stored tokens
 * are left to the caller.
 */
export async function findPresentedToken(
  deps: Deps,
  token: string,
  hint: TokenTypeHint | undefined,
): Promise<PresentedToken | undefined> {
  if (JWT_SHAPE.test(token)) return findAccessToken(deps, token);
  const opaque = parseOpaqueToken(token);
  if (opaque === undefined) return undefined;
  const lookups =
    hint === 'session_token' ? [findSessionToken, findRefreshToken] : [findRefreshToken, findSessionToken];
  for (const lookup of lookups) {
    const found = await lookup(deps, opaque);
    if (found !== undefined) return found;
  }
  return undefined;
}

function findAccessToken(deps: Deps, token: string): PresentedToken | undefined {
  try {
    const claims = deps.accessTokens.verify(token, deps.clock.now());
    return { kind: 'access_token', clientId: claims.client_id, claims };
  } catch {
    // Any verification failure (signature, expiry, claims) means "not a token we vouch for".
    return undefined;
  }
}

async function findRefreshToken(
  deps: Deps,
  opaque: { id: string; secret: string },
): Promise<PresentedToken | undefined> {
  // A rotation that always rejects is the store's read of token, session and successor: it writes nothing.
  const outcome = await deps.stores.refreshTokens.rotate(opaque.id, () => ({ kind: 'reject' }));
  if (outcome === undefined || !tokenSecretMatches(opaque.secret, outcome.state.token.tokenHash))
    return undefined;
  const { token, session } = outcome.state;
  return { kind: 'refresh_token', clientId: session.clientId ?? FIRST_PARTY_CLIENT_ID, token, session };
}

async function findSessionToken(
  deps: Deps,
  opaque: { id: string; secret: string },
): Promise<PresentedToken | undefined> {
  const session = await deps.stores.sessions.findById(opaque.id);
  if (session?.kind !== 'session' || session.tokenHash === null) return undefined;
  if (!tokenSecretMatches(opaque.secret, session.tokenHash)) return undefined;
  return { kind: 'session_token', clientId: session.clientId ?? FIRST_PARTY_CLIENT_ID, session };
}

/** The session a presented token belongs to (an access token names it in `sid`). */
export function sessionIdOf(presented: PresentedToken): string {
  return presented.kind === 'access_token' ? presented.claims.sid : presented.session.id;
}
