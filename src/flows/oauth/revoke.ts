import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import type { OAuthClient } from './clients.js';
import { findPresentedToken, parseTokenTypeHint, sessionIdOf } from './presented-token.js';

/**
 * RFC 7009: revokes the session behind a refresh token, a session token or an access token (its
 * `sid`), with every refresh token of that session. SessionStore.revoke is wrapped by
 * announceRevocations, so strict mode on every instance stops accepting the session's access tokens.
 * Answers nothing either way: an unknown or invalid token, and a token issued to another client
 * (left untouched, §2.1), look exactly like a successful revocation (§2.2).
 */
export async function revokeToken(
  deps: Deps,
  client: OAuthClient,
  request: { token: string; token_type_hint?: string },
  context: RequestContext,
): Promise<void> {
  const hint = parseTokenTypeHint(request.token_type_hint);
  const presented = await findPresentedToken(deps, request.token, hint);
  if (presented === undefined || presented.clientId !== client.clientId) return;
  const sessionId = sessionIdOf(presented);
  const session =
    presented.kind === 'access_token' ? await deps.stores.sessions.findById(sessionId) : presented.session;
  if (session === undefined) return;
  const revoked = await deps.stores.sessions.revoke({
    userId: session.userId,
    ids: [session.id],
    reason: 'oauth_revoked',
    at: deps.clock.now(),
  });
  if (revoked.length > 0) {
    await recordAudit(deps, 'session_revoked', {
      userId: session.userId,
      sessionId: session.id,
      context,
      detail: { client_id: client.clientId, token_type: presented.kind },
    });
  }
}
