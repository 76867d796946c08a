import type { RotationDecision, RotationState } from './types.js';

/**
 * Checks a rotation decision against the state it was made on, before any adapter writes it. Every
 * adapter calls this inside its atomic step, so memory and SQL agree on what counts as misuse: a
 * `decide` that asks for a second child, or to reuse a successor that does not exist, is a bug in the
 * caller (TypeError), never a fork of the family.
 */
export function assertDecisionApplies(id: string, state: RotationState, decision: RotationDecision): void {
  switch (decision.kind) {
    case 'rotate':
      if (state.successor !== undefined) {
        throw new TypeError('This refresh token has a successor already: a family never forks.');
      }
      if (decision.successor.parentId !== id || decision.successor.sessionId !== state.token.sessionId) {
        throw new TypeError('A successor must name the rotated token as its parent and keep its session.');
      }
      return;
    case 'reuse-successor':
      if (state.successor === undefined) {
        throw new TypeError('reuse-successor was decided for a refresh token that has no successor.');
      }
      return;
    case 'revoke-family':
    case 'reject':
      return;
    default:
      throw new TypeError(`Unknown rotation decision: ${String((decision as { kind: unknown }).kind)}.`);
  }
}
