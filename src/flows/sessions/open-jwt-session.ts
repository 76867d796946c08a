import type { SessionRecord, UserRecord } from '../../stores/types.js';
import type { Deps, RequestContext } from '../deps.js';
import { generateOpaqueToken, hashTokenSecret } from './opaque-token.js';
import type { UserView } from '../../wire/user-view.js';
import { toUserView } from './views.js';
import type { AccessTokenStrength } from './access-tokens.js';

/** What register, login and refresh return in JWT mode: the RFC 6749 §5.1 shape plus the user. */
export interface TokenPair {
  user: UserView;
  sessionId: string;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  /** The scope the access token carries (OAuth sessions only; RFC 6749 §5.1). */
  scope?: string;
}

/** Opens a JWT-mode session (one per login: a device) and issues its first access and refresh tokens. */
export async function openJwtSession(
  deps: Deps,
  user: UserRecord,
  context: RequestContext,
  /** Set by /oauth/token: the session is bound to this client and scope (RFC 6749 §6). */
  grant?: { clientId: string; scope: string },
  /** How the user proved it (amr, acr), when the proof says: stamped on this first access token. */
  strength?: AccessTokenStrength,
): Promise<TokenPair> {
  const now = deps.clock.now();
  const absoluteExpiresAt = new Date(now.getTime() + deps.config.refreshTokenTtlSeconds * 1000);
  const session = await deps.stores.sessions.create({
    id: newId(deps),
    userId: user.id,
    kind: 'jwt',
    tokenHash: null,
    createdAt: now,
    lastSeenAt: now,
    idleExpiresAt: null,
    absoluteExpiresAt,
    userAgent: truncate(context.userAgent, 512),
    ip: context.ip,
    ...(grant !== undefined && { clientId: grant.clientId, scope: grant.scope }),
  });
  const refresh = generateOpaqueToken(deps.random);
  await deps.stores.refreshTokens.insert({
    id: refresh.id,
    sessionId: session.id,
    parentId: null,
    tokenHash: hashTokenSecret(refresh.secret),
    createdAt: now,
    expiresAt: absoluteExpiresAt,
  });
  return pairFor(deps, user, session, refresh.token, now, strength);
}

export function pairFor(
  deps: Deps,
  user: UserRecord,
  session: SessionRecord,
  refreshToken: string,
  now: Date,
  strength?: AccessTokenStrength,
): TokenPair {
  const access = deps.accessTokens.issue(user, session, now, strength);
  return {
    user: toUserView(user),
    sessionId: session.id,
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken,
    ...(session.scope !== undefined && { scope: session.scope }),
  };
}

/** A new random id (128 bits, base64url) for users and sessions. */
export function newId(deps: Pick<Deps, 'random'>): string {
  return Buffer.from(deps.random.bytes(16)).toString('base64url');
}

/** Caps a client-supplied string (user agent) before it is stored. */
export function truncate(value: string | null, max: number): string | null {
  return value === null ? null : value.slice(0, max);
}
