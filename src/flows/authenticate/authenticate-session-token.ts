import { toNumericDate } from '../../platform/clock.js';
import type { SessionRecord } from '../../stores/types.js';
import { TokenError } from '../../token/errors.js';
import { ACR_SINGLE_FACTOR } from '../../wire/authentication-strength.js';
import { assertSessionLive } from './authenticate-access-token.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { hashTokenSecret, parseOpaqueToken, tokenSecretMatches } from '../sessions/opaque-token.js';
import type { Principal } from './principal.js';
import { idleExpiryAfter, isRenewalDue } from '../sessions/session-renewal.js';

/** Compared against when the id names no session-mode session, so every miss costs one hash compare. */
const NO_SESSION_HASH = hashTokenSecret('no session-mode session has this secret');

/**
 * Verifies a session token (session mode): one read of the session by id, a constant-time compare of
 * SHA-256(secret) with the stored hash, revocation and both timeouts, then one read of the user by
 * primary key, so role changes, disabling and deletion apply on the very next request.
 * - not the opaque-token shape → `token_malformed`;
 * - unknown id, a JWT-mode session's id, or a wrong secret → `session_revoked` (a guesser is not told
 *   which part was wrong, nor whether the session would have been expired);
 * - revoked → `session_revoked`; past the idle or absolute timeout → `session_expired`;
 * - the user disabled or deleted → `session_revoked` (a disabled user's session is revoked for good).
 * A live session's idle expiry slides forward, written at most once per renewal interval.
 */
export async function authenticateSessionToken(deps: Deps, token: string): Promise<Principal> {
  const presented = parseOpaqueToken(token);
  if (presented === undefined) throw new TokenError('token_malformed', 'The session token is malformed.');
  const now = deps.clock.now();
  const session = await deps.stores.sessions.findById(presented.id);
  const storedHash = session?.kind === 'session' ? session.tokenHash : null;
  const matches = tokenSecretMatches(presented.secret, storedHash ?? NO_SESSION_HASH);
  if (!matches || storedHash === null) throw invalidSession();
  assertSessionLive(session, now);
  // Defence in depth behind the Redis session cache: a revocation every instance has heard of wins
  // over a cached copy of the session.
  if (deps.revocations.isRevoked(session.id)) throw invalidSession();
  const user = await deps.stores.users.findById(session.userId);
  if (user === undefined || user.disabled) {
    if (user !== undefined) {
      await deps.stores.sessions.revoke({
        userId: user.id,
        ids: [session.id],
        reason: 'user_disabled',
        at: now,
      });
    }
    throw invalidSession();
  }
  if (isRenewalDue(session, deps.config, now)) {
    await deps.stores.sessions.touch(
      session.id,
      now,
      idleExpiryAfter(session.absoluteExpiresAt, deps.config, now),
    );
  }
  return {
    userId: user.id,
    sessionId: session.id,
    roles: [...user.roles],
    kind: 'session',
    claims: null,
    ...sessionAuthentication(session),
  };
}

/**
 * How the session's user signed in, as the session recorded it (migration 008). A session opened before
 * sessions recorded it counts as a single-factor sign-in at its creation.
 */
function sessionAuthentication(session: SessionRecord): Pick<Principal, 'acr' | 'authTime'> {
  return {
    acr: session.acr ?? ACR_SINGLE_FACTOR,
    authTime: toNumericDate(session.authTime ?? session.createdAt),
  };
}

function invalidSession(): FlowError {
  return new FlowError('session_revoked', 'The session is not valid; sign in again.');
}
