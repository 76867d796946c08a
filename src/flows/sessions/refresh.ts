import type { RotationDecision, RotationState, SessionRecord } from '../../stores/types.js';
import { FIRST_PARTY_CLIENT_ID } from './access-tokens.js';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { pairFor, type TokenPair } from './open-jwt-session.js';
import { accessTokenWindowSeconds } from '../sessions/access-token-window.js';
import {
  deriveSuccessorToken,
  hashTokenSecret,
  parseOpaqueToken,
  tokenSecretMatches,
} from './opaque-token.js';

/**
 * Who presents a refresh token: an OAuth client at /oauth/token, possibly asking for a narrower scope
 * (RFC 6749 §6); absent for the first-party /auth/refresh, whose client is FIRST_PARTY_CLIENT_ID.
 */
export interface RefreshBinding {
  clientId: string;
  scope?: readonly string[];
}

/** Why a token cannot be refreshed by this presenter: another client's token, or a wider scope. */
export function bindingRefusal(
  session: SessionRecord,
  binding: RefreshBinding | undefined,
): 'client' | 'scope' | undefined {
  if ((session.clientId ?? FIRST_PARTY_CLIENT_ID) !== (binding?.clientId ?? FIRST_PARTY_CLIENT_ID)) {
    return 'client';
  }
  const granted = new Set((session.scope ?? '').split(' ').filter((value) => value !== ''));
  if (binding?.scope?.some((value) => !granted.has(value))) return 'scope';
  return undefined;
}

/**
 * Decides what to do with a presented refresh token, as a pure function of the stored state, the
 * configuration and `now` (evaluated by the store inside its atomic step):
 * - unknown secret, another client's token, revoked, expired → reject, writing nothing (a guessed id
 *   must never burn a family, nor may another client's attempt);
 * - unused → rotate to the derived successor;
 * - used, inside the grace window → the existing successor stands (two tabs, a retried request);
 * - used, after the grace window → theft suspected: revoke the session and the whole family.
 */
export function decideRotation(
  state: RotationState,
  presented: { token: string; secret: string; binding?: RefreshBinding },
  deps: Pick<Deps, 'config' | 'refreshDerivationKey'>,
  now: Date,
): RotationDecision {
  const { token, session, successor } = state;
  if (!tokenSecretMatches(presented.secret, token.tokenHash)) return { kind: 'reject' };
  if (bindingRefusal(session, presented.binding) !== undefined) return { kind: 'reject' };
  if (token.revokedAt !== null || session.revokedAt !== null) return { kind: 'reject' };
  if (token.expiresAt <= now || session.absoluteExpiresAt <= now) return { kind: 'reject' };
  if (token.usedAt === null) {
    const next = deriveSuccessorToken(deps.refreshDerivationKey, presented.token);
    return {
      kind: 'rotate',
      at: now,
      successor: {
        id: next.id,
        sessionId: session.id,
        parentId: token.id,
        tokenHash: hashTokenSecret(next.secret),
        createdAt: now,
        expiresAt: session.absoluteExpiresAt,
      },
    };
  }
  const graceEndsAt = token.usedAt.getTime() + deps.config.refreshReuseGraceSeconds * 1000;
  if (successor !== undefined && now.getTime() <= graceEndsAt) return { kind: 'reuse-successor' };
  return { kind: 'revoke-family', reason: 'refresh_token_reused', at: now };
}

/** Exchanges a refresh token for a new pair. Roles are re-read from the user, so role changes apply now. */
export async function refresh(
  deps: Deps,
  presentedToken: string,
  context: RequestContext,
  binding?: RefreshBinding,
): Promise<TokenPair> {
  const presented = parseOpaqueToken(presentedToken);
  if (presented === undefined) throw invalid();
  const now = deps.clock.now();
  const outcome = await deps.stores.refreshTokens.rotate(presented.id, (state) =>
    decideRotation(state, { token: presentedToken, secret: presented.secret, binding }, deps, now),
  );
  if (outcome === undefined) throw invalid();
  const { state, decision } = outcome;
  switch (decision.kind) {
    case 'reject':
      if (!tokenSecretMatches(presented.secret, state.token.tokenHash)) throw invalid();
      await announceAgainIfRecentlyRevoked(deps, state.session, now);
      throw rejection(state, now, binding);
    case 'revoke-family':
      // Counted first: the revocation is committed even when announcing it fails (503, retried).
      deps.metrics.refreshReuseDetected();
      // The store revoked the session inside the rotation; tell every instance (strict mode).
      await deps.revocations.announce([state.session.id]);
      await recordAudit(deps, 'refresh_reuse_detected', {
        userId: state.session.userId,
        sessionId: state.session.id,
        context,
        detail: { tokenId: state.token.id },
      });
      deps.logger.warn({ sessionId: state.session.id }, 'refresh token reuse detected: session revoked');
      throw new FlowError(
        'refresh_token_reused',
        'This refresh token was already used; the session has been revoked.',
      );
    case 'rotate':
    case 'reuse-successor': {
      const user = await deps.stores.users.findById(state.session.userId);
      if (user === undefined || user.disabled) {
        // The rotation is already committed; revoke the session too, so the account's sessions end
        // with it instead of surfacing later as a false reuse alarm.
        await deps.stores.sessions.revoke({
          userId: state.session.userId,
          ids: [state.session.id],
          reason: 'user_disabled',
          at: now,
        });
        throw new FlowError('session_revoked', 'The session is no longer valid.');
      }
      const successor = deriveSuccessorToken(deps.refreshDerivationKey, presentedToken);
      if (decision.kind === 'rotate') {
        deps.metrics.refreshRotated();
        await recordAudit(deps, 'refresh', { userId: user.id, sessionId: state.session.id, context });
      }
      // A narrower scope applies to this access token only; the session keeps what was granted.
      const session =
        binding?.scope === undefined ? state.session : { ...state.session, scope: binding.scope.join(' ') };
      return pairFor(deps, user, session, successor.token, now);
    }
  }
}

/**
 * A token of a session revoked within the revocation window: announce it again, so a reuse detection
 * whose announcement failed (503, retried by the client) is announced by the retry (decision 0017).
 */
async function announceAgainIfRecentlyRevoked(deps: Deps, session: SessionRecord, now: Date): Promise<void> {
  if (session.revokedAt === null) return;
  const windowMs = accessTokenWindowSeconds(deps.config) * 1000;
  if (now.getTime() - session.revokedAt.getTime() < windowMs) await deps.revocations.announce([session.id]);
}

function rejection(state: RotationState, now: Date, binding: RefreshBinding | undefined): FlowError {
  const { token, session } = state;
  // Another client learns nothing about this token's state (RFC 6749 §6: bound to its client).
  const refusal = bindingRefusal(session, binding);
  if (refusal === 'client') return invalid();
  if (refusal === 'scope') {
    return new FlowError('insufficient_scope', 'The requested scope exceeds the scope granted.');
  }
  if (session.revokedAt !== null || token.revokedAt !== null) {
    return new FlowError('session_revoked', 'The session has been revoked; sign in again.');
  }
  if (token.expiresAt <= now || session.absoluteExpiresAt <= now) {
    return new FlowError('refresh_token_expired', 'The refresh token has expired; sign in again.');
  }
  return invalid();
}

function invalid(): FlowError {
  return new FlowError('refresh_token_invalid', 'The refresh token is not valid.');
}
