import { toNumericDate } from '../../platform/clock.js';
import type { SessionRecord } from '../../stores/types.js';
import type { Deps } from '../deps.js';
import type { OAuthClient } from './clients.js';
import { OAuthError } from './oauth-error.js';
import {
  findPresentedToken,
  parseTokenTypeHint,
  sessionIdOf,
  type PresentedToken,
} from './presented-token.js';

/** RFC 7662 §2.2. Only what a resource server needs: no e-mail, no roles, no user agent or IP. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      client_id: string;
      sub: string;
      exp: number;
      iat: number;
      iss: string;
      sid: string;
      scope?: string;
      token_type?: 'Bearer';
      aud?: string;
      jti?: string;
    };

const INACTIVE: IntrospectionResponse = { active: false };

/**
 * RFC 7662: says whether a token is active now. Only confidential clients may ask (the protected
 * resources that hold a secret); a public client is refused with `invalid_client`. A confidential
 * client may introspect any token Tessera issued: that is what a resource server needs.
 * Inactive (`{active:false}`, nothing else): unknown, malformed, expired, revoked, a used refresh
 * token, a session past a timeout, or a disabled or deleted user.
 */
export async function introspectToken(
  deps: Deps,
  client: OAuthClient,
  request: { token: string; token_type_hint?: string },
): Promise<IntrospectionResponse> {
  if (client.type !== 'confidential') {
    throw new OAuthError('invalid_client', 'Only confidential clients may introspect tokens.');
  }
  const hint = parseTokenTypeHint(request.token_type_hint);
  const presented = await findPresentedToken(deps, request.token, hint);
  if (presented === undefined) return INACTIVE;
  const now = deps.clock.now();
  const session =
    presented.kind === 'access_token'
      ? await deps.stores.sessions.findById(sessionIdOf(presented))
      : presented.session;
  if (session === undefined || !sessionIsLive(deps, session, now)) return INACTIVE;
  if (presented.kind === 'refresh_token') {
    const { token } = presented;
    if (token.usedAt !== null || token.revokedAt !== null || token.expiresAt <= now) return INACTIVE;
  }
  const user = await deps.stores.users.findById(session.userId);
  if (user === undefined || user.disabled) return INACTIVE;
  return describeActive(deps, presented, session);
}

function sessionIsLive(deps: Deps, session: SessionRecord, now: Date): boolean {
  if (session.revokedAt !== null || deps.revocations.isRevoked(session.id)) return false;
  if (session.absoluteExpiresAt <= now) return false;
  return session.idleExpiresAt === null || session.idleExpiresAt > now;
}

function describeActive(
  deps: Deps,
  presented: PresentedToken,
  session: SessionRecord,
): IntrospectionResponse {
  const base = {
    active: true as const,
    client_id: presented.clientId,
    iss: deps.config.issuer,
    sid: session.id,
  };
  switch (presented.kind) {
    case 'access_token': {
      const { claims } = presented;
      const scope = typeof claims.scope === 'string' ? claims.scope : undefined;
      return {
        ...base,
        sub: claims.sub,
        exp: claims.exp,
        iat: claims.iat,
        aud: claims.aud,
        jti: claims.jti,
        token_type: 'Bearer',
        ...(scope !== undefined && { scope }),
      };
    }
    case 'refresh_token':
      return {
        ...base,
        sub: session.userId,
        exp: toNumericDate(presented.token.expiresAt),
        iat: toNumericDate(presented.token.createdAt),
        ...(session.scope !== undefined && session.scope !== '' && { scope: session.scope }),
      };
    case 'session_token': {
      const ends = Math.min(
        session.idleExpiresAt?.getTime() ?? Infinity,
        session.absoluteExpiresAt.getTime(),
      );
      return {
        ...base,
        sub: session.userId,
        exp: toNumericDate(new Date(ends)),
        iat: toNumericDate(session.createdAt),
        token_type: 'Bearer',
      };
    }
  }
}
