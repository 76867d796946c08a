import type { UserRecord } from '../../stores/types.js';
import type { Deps, RequestContext } from '../deps.js';
import { strengthColumns, truncate } from './open-jwt-session.js';
import type { SignInStrength } from '../auth/sign-in-strength.js';
import { generateOpaqueToken, hashTokenSecret } from './opaque-token.js';
import { idleExpiryAfter, secondsUntilSessionEnds } from './session-renewal.js';
import type { UserView } from '../../wire/user-view.js';
import { toUserView } from './views.js';

/** What register and login return in session mode: a stateful session and its opaque token. */
export interface SessionTokenGrant {
  user: UserView;
  sessionId: string;
  /** `<session id>.<secret>`: shown once, never stored (only SHA-256 of the secret is). */
  sessionToken: string;
  /** Seconds until the idle or the absolute timeout, whichever comes first. */
  expiresIn: number;
}

/**
 * Opens a session-mode session. The token is a fresh `<id>.<secret>` from the opaque-token helpers:
 * the 128-bit id is the session's primary key and the 256-bit secret is stored only as its SHA-256.
 * Every login draws a new one, so nothing a client presented before signing in (a planted cookie)
 * can become the signed-in session (no fixation).
 */
export async function openStatefulSession(
  deps: Deps,
  user: UserRecord,
  context: RequestContext,
  strength?: SignInStrength,
): Promise<SessionTokenGrant> {
  const now = deps.clock.now();
  const token = generateOpaqueToken(deps.random);
  const absoluteExpiresAt = new Date(now.getTime() + deps.config.sessionAbsoluteTimeoutSeconds * 1000);
  const session = await deps.stores.sessions.create({
    id: token.id,
    userId: user.id,
    kind: 'session',
    tokenHash: hashTokenSecret(token.secret),
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: idleExpiryAfter(absoluteExpiresAt, deps.config, now),
    absoluteExpiresAt,
    userAgent: truncate(context.userAgent, 512),
    ip: context.ip,
    ...strengthColumns(strength),
  });
  return {
    user: toUserView(user),
    sessionId: session.id,
    sessionToken: token.token,
    expiresIn: secondsUntilSessionEnds(session, now),
  };
}
