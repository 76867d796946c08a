import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import type { Principal } from '../authenticate/principal.js';

export const LOGOUT_SCOPES = ['local', 'others', 'global'] as const;
export type LogoutScope = (typeof LOGOUT_SCOPES)[number];

/**
 * Revokes sessions and their refresh-token families: `local` this session, `others` every other
 * session of the user, `global` all of them. Access tokens already issued stay valid until `exp`
 * unless strict mode is on.
 */
export async function logout(
  deps: Deps,
  principal: Principal,
  scope: LogoutScope,
  context: RequestContext,
): Promise<string[]> {
  const at = deps.clock.now();
  const base = { userId: principal.userId, reason: `logout_${scope}`, at };
  const revoked = await deps.stores.sessions.revoke(
    scope === 'local'
      ? { ...base, ids: [principal.sessionId] }
      : scope === 'others'
        ? { ...base, exceptId: principal.sessionId }
        : base,
  );
  await recordAudit(deps, 'logout', {
    userId: principal.userId,
    sessionId: principal.sessionId,
    context,
    detail: { scope, revoked: revoked.length },
  });
  return revoked;
}
