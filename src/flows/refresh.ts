import type { RotationDecision, RotationState } from '../stores/types.js';
import { recordAudit } from './audit.js';
import type { Deps, RequestContext } from './deps.js';
import { FlowError } from './flow-error.js';
import { pairFor, type TokenPair } from './issue-tokens.js';
import {
  deriveSuccessorToken,
  hashTokenSecret,
  parseOpaqueToken,
  tokenSecretMatches,
} from './opaque-token.js';

/**
 * Decides what to do with a presented refresh token, as a pure function of the stored state, the
 * configuration and `now` (evaluated by the store inside its atomic step):
 * - unknown secret, revoked, expired → reject, writing nothing (a guessed id must never burn a family);
 * - unused → rotate to the derived successor;
 * - used, inside the grace window → the existing successor stands (two tabs, a retried request);
 * - used, after the grace window → theft suspected: revoke the session and the whole family.
 */
export function decideRotation(
  state: RotationState,
  presented: { token: string; secret: string },
  deps: Pick<Deps, 'config' | 'refreshDerivationKey'>,
  now: Date,
): RotationDecision {
  const { token, session, successor } = state;
  if (!tokenSecretMatches(presented.secret, token.tokenHash)) return { kind: 'reject' };
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
): Promise<TokenPair> {
  const presented = parseOpaqueToken(presentedToken);
  if (presented === undefined) throw invalid();
  const now = deps.clock.now();
  const outcome = await deps.stores.refreshTokens.rotate(presented.id, (state) =>
    decideRotation(state, { token: presentedToken, secret: presented.secret }, deps, now),
  );
  if (outcome === undefined) throw invalid();
  const { state, decision } = outcome;
  switch (decision.kind) {
    case 'reject':
      throw tokenSecretMatches(presented.secret, state.token.tokenHash) ? rejection(state, now) : invalid();
    case 'revoke-family':
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
        await recordAudit(deps, 'refresh', { userId: user.id, sessionId: state.session.id, context });
      }
      return pairFor(deps, user, state.session, successor.token, now);
    }
  }
}

function rejection(state: RotationState, now: Date): FlowError {
  const { token, session } = state;
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
