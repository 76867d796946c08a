import type { SessionRecord, UserRecord } from '../../stores/types.js';
import type { SessionView } from '../../wire/session-view.js';
import type { UserView } from '../../wire/user-view.js';

/** What a user may see of their own record (the wire's UserView): never the hash, never lockout internals. */
export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    email_verified: user.emailVerifiedAt !== null,
    created_at: user.createdAt.toISOString(),
  };
}

/** One session as its user sees it (the wire's SessionView); `current` marks the one asking. */
export function toSessionView(session: SessionRecord, currentSessionId: string | null): SessionView {
  const idle = session.idleExpiresAt;
  const expires = idle !== null && idle < session.absoluteExpiresAt ? idle : session.absoluteExpiresAt;
  return {
    id: session.id,
    kind: session.kind,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: expires.toISOString(),
    user_agent: session.userAgent,
    ip: session.ip,
    current: session.id === currentSessionId,
  };
}
