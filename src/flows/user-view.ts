import type { SessionRecord, UserRecord } from '../stores/types.js';

/** What a user may see of their own record: never the hash, never lockout internals. */
export interface UserView {
  id: string;
  email: string;
  name: string | null;
  roles: string[];
  created_at: string;
}

export function toUserView(user: UserRecord): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    created_at: user.createdAt.toISOString(),
  };
}

export interface SessionView {
  id: string;
  kind: SessionRecord['kind'];
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

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
