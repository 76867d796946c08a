import { StoreUnavailableError } from '../../errors.js';
import type { SessionRecord } from '../../stores/types.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import type { Principal } from './principal.js';

/**
 * Verifies a bearer access token: signature, expiry and claims, with no store read (stateless). In
 * strict mode the token's session is also checked, so a logout takes effect before `exp`.
 */
export async function authenticateAccessToken(deps: Deps, token: string): Promise<Principal> {
  const now = deps.clock.now();
  const claims = deps.accessTokens.verify(token, now);
  if (deps.config.strictMode) await assertSessionNotRevoked(deps, claims.sid, now);
  return {
    userId: claims.sub,
    sessionId: claims.sid,
    roles: claims.roles,
    kind: 'jwt',
    claims,
    // Claims the signature vouches for but no rule checked the type of: only well-typed values count.
    acr: typeof claims.acr === 'string' ? claims.acr : undefined,
    authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
  };
}

/**
 * Strict mode's check. With an authoritative revocation list (Redis fan-out, reconciled from the
 * database) it is a memory lookup, no store read per request. While the fan-out is down the request
 * fails closed with 503 (TESSERA_REDIS_FAILURE_MODE=closed, the default) or falls back to reading the
 * session from the store (=open). While the list is not fresh (its last database reconciliation is
 * older than the staleness bound, or it is re-reading after a reconnect) a session it does not know
 * as revoked is read from the store: correct, never stale (decision 0017). Without Redis the store is
 * read every time.
 */
async function assertSessionNotRevoked(deps: Deps, sessionId: string, now: Date): Promise<void> {
  const { revocations } = deps;
  if (revocations.authoritative) {
    if (revocations.healthy()) {
      if (revocations.isRevoked(sessionId))
        throw new FlowError('session_revoked', 'The session has been revoked.');
      if (revocations.fresh()) return;
    } else if (deps.config.redisFailureMode === 'closed') {
      throw new StoreUnavailableError('The revocation fan-out is unavailable; strict mode fails closed.');
    }
  }
  assertSessionLive(await deps.stores.sessions.findById(sessionId), now);
}

export function assertSessionLive(
  session: SessionRecord | undefined,
  now: Date,
): asserts session is SessionRecord {
  if (session === undefined || session.revokedAt !== null) {
    throw new FlowError('session_revoked', 'The session has been revoked.');
  }
  if (session.absoluteExpiresAt <= now || (session.idleExpiresAt !== null && session.idleExpiresAt <= now)) {
    throw new FlowError('session_expired', 'The session has expired.');
  }
}

/** Role gate for protected routes (403 `insufficient_scope` per RFC 6750 §3.1). */
export function requireRole(principal: Principal, role: string): void {
  if (!principal.roles.includes(role)) {
    throw new FlowError('insufficient_scope', `This action needs the "${role}" role.`);
  }
}
