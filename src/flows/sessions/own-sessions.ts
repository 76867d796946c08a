import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import type { Principal } from '../authenticate/principal.js';
import type { SessionView } from '../../wire/session-view.js';
import type { UserView } from '../../wire/user-view.js';
import { toSessionView, toUserView } from './views.js';

export async function getCurrentUser(deps: Deps, principal: Principal): Promise<UserView> {
  const user = await deps.stores.users.findById(principal.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The user no longer exists.');
  return toUserView(user);
}

/**
 * The user's live sessions (devices), newest first, with the caller's own marked `current`. Session-mode
 * sessions past their idle timeout are dead too, though the store (which filters on the absolute
 * expiry only) still returns them.
 */
export async function listSessions(deps: Deps, principal: Principal): Promise<SessionView[]> {
  const now = deps.clock.now();
  const sessions = await deps.stores.sessions.listActiveForUser(principal.userId, now);
  return sessions
    .filter((session) => session.idleExpiresAt === null || session.idleExpiresAt > now)
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((session) => toSessionView(session, principal.sessionId));
}

/** Revokes one of the caller's own sessions. Another user's session id is "not found", never "forbidden". */
export async function revokeSession(
  deps: Deps,
  principal: Principal,
  sessionId: string,
  context: RequestContext,
): Promise<void> {
  const session = await deps.stores.sessions.findById(sessionId);
  if (session === undefined || session.userId !== principal.userId || session.revokedAt !== null) {
    throw new FlowError('session_not_found', 'No such session.');
  }
  await deps.stores.sessions.revoke({
    userId: principal.userId,
    ids: [sessionId],
    reason: 'user_revoked',
    at: deps.clock.now(),
  });
  await recordAudit(deps, 'session_revoked', { userId: principal.userId, sessionId, context });
}
