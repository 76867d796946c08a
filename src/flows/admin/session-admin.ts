import { recordAudit } from '../audit.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { findUserByEmail } from './user-admin.js';
import type { SessionView } from '../../wire/session-view.js';
import { toSessionView } from '../sessions/views.js';

/**
 * Operator use cases over sessions (the `tessera sessions` CLI). Revocation goes through the store,
 * which also revokes the sessions' refresh tokens in the same step, so a revoked device cannot refresh.
 */

/** The live sessions of the user with this e-mail, newest first. */
export async function listUserSessions(deps: Deps, email: string): Promise<SessionView[]> {
  const user = await findUserByEmail(deps, email);
  const sessions = await deps.stores.sessions.listActiveForUser(user.id, deps.clock.now());
  return sessions
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((session) => toSessionView(session, null));
}

/**
 * Revokes one session by id. With `email`, the session must belong to that user (a guard against a
 * mistyped id); a revoked or unknown id is `session_not_found`.
 */
export async function revokeSessionById(
  deps: Deps,
  sessionId: string,
  options: { email?: string } = {},
): Promise<void> {
  const session = await deps.stores.sessions.findById(sessionId);
  const owner = options.email === undefined ? undefined : await findUserByEmail(deps, options.email);
  if (session === undefined || session.revokedAt !== null || (owner && owner.id !== session.userId)) {
    throw new FlowError('session_not_found', 'No such live session.');
  }
  const revoked = await deps.stores.sessions.revoke({
    userId: session.userId,
    ids: [session.id],
    reason: 'admin_revoked',
    at: deps.clock.now(),
  });
  if (revoked.length === 0) throw new FlowError('session_not_found', 'No such live session.');
  await recordAudit(deps, 'session_revoked', {
    userId: session.userId,
    sessionId: session.id,
    detail: { by: 'admin' },
  });
}

/** Revokes every session of the user with this e-mail; returns the ids newly revoked. */
export async function revokeAllUserSessions(deps: Deps, email: string): Promise<string[]> {
  const user = await findUserByEmail(deps, email);
  const ids = await deps.stores.sessions.revoke({
    userId: user.id,
    reason: 'admin_revoked',
    at: deps.clock.now(),
  });
  for (const sessionId of ids) {
    await recordAudit(deps, 'session_revoked', { userId: user.id, sessionId, detail: { by: 'admin' } });
  }
  return ids;
}
