import type { SessionRecord } from '../stores/types.js';
import type { Deps } from './deps.js';
import { FlowError } from './flow-error.js';
import type { Principal } from './principal.js';

/**
 * Verifies a bearer access token: signature, expiry and claims, with no store read (stateless). In
 * strict mode the token's session is also checked, so a logout takes effect before `exp`.
 */
export async function authenticateAccessToken(deps: Deps, token: string): Promise<Principal> {
  const now = deps.clock.now();
  const claims = deps.accessTokens.verify(token, now);
  if (deps.config.strictMode) {
    assertSessionLive(await deps.stores.sessions.findById(claims.sid), now);
  }
  return { userId: claims.sub, sessionId: claims.sid, roles: claims.roles, kind: 'jwt', claims };
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
