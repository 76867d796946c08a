import type { UserRecord } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { assertNotLockedOut, recordLoginFailure } from '../auth/lockout.js';
import type { AuthenticationMethod } from '../../wire/authentication-strength.js';
import { hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes.js';
import { listActiveFactors } from './second-factor-methods.js';
import { consumeSignInTicket, countWrongAnswer, ticketInvalid, type SignInTicket } from './sign-in-ticket.js';
import { checkTotpCode, normalizeTotpCode } from './totp-factor.js';

/** An answer to the second step. The passkeys feature adds `{ kind: 'webauthn', … }`. */
export type SecondFactorAnswer = { kind: 'totp'; code: string } | { kind: 'recovery_code'; code: string };

/** A ticket with its answer: the `second_factor` proof of the login pipeline (sign-in.ts). */
export interface SecondFactorProof {
  kind: 'second_factor';
  ticket: { hash: string };
  stored: SignInTicket;
  answer: SecondFactorAnswer;
}

/**
 * Proves the second factor of a ticket: the user's lockout first, then the answer. A wrong or replayed
 * answer counts toward the user's lockout (the same counter as wrong passwords) and the ticket's
 * limit, and is audited; a right one consumes the ticket, which only one request can do.
 * Returns the user and the RFC 8176 methods the answer proved.
 */
export async function proveSecondFactor(
  deps: Deps,
  proof: SecondFactorProof,
  context: RequestContext,
): Promise<{ user: UserRecord; methods: AuthenticationMethod[] }> {
  const code = normalizeAnswer(proof.answer);
  const user = await deps.stores.users.findById(proof.stored.userId);
  if (user === undefined) throw ticketInvalid();
  await assertNotLockedOut(deps, user.email);
  const outcome = await checkAnswer(deps, user, proof.answer.kind, code);
  if (outcome !== 'accepted') {
    await refuse(deps, proof, user, context, outcome);
  }
  if (!(await consumeSignInTicket(deps, proof.ticket))) throw ticketInvalid();
  if (proof.answer.kind === 'recovery_code') {
    const remaining = await deps.stores.secondFactors.countUnusedRecoveryCodes(user.id);
    await recordAudit(deps, 'recovery_code_used', { userId: user.id, context, detail: { remaining } });
  }
  return { user, methods: ['otp'] };
}

function normalizeAnswer(answer: SecondFactorAnswer): string {
  return answer.kind === 'totp' ? normalizeTotpCode(answer.code) : normalizeRecoveryCode(answer.code);
}

async function checkAnswer(
  deps: Deps,
  user: UserRecord,
  kind: SecondFactorAnswer['kind'],
  code: string,
): Promise<'accepted' | 'invalid' | 'reused'> {
  if (kind === 'recovery_code') {
    const used = await deps.stores.secondFactors.useRecoveryCode(
      user.id,
      hashRecoveryCode(code),
      deps.clock.now(),
    );
    return used ? 'accepted' : 'invalid';
  }
  let outcome: 'accepted' | 'invalid' | 'reused' = 'invalid';
  for (const factor of await listActiveFactors(deps, user.id)) {
    if (factor.kind !== 'totp') continue;
    const check = await checkTotpCode(deps, factor, code);
    if (check === 'accepted') return 'accepted';
    if (check === 'reused') outcome = 'reused';
  }
  return outcome;
}

async function refuse(
  deps: Deps,
  proof: SecondFactorProof,
  user: UserRecord,
  context: RequestContext,
  outcome: 'invalid' | 'reused',
): Promise<never> {
  const ticketDied = await countWrongAnswer(deps, proof.ticket);
  const lockedForSeconds = await recordLoginFailure(deps, user.email);
  await recordAudit(deps, 'second_factor_failed', {
    userId: user.id,
    context,
    detail: { method: proof.answer.kind, reason: outcome, ...(ticketDied && { ticket: 'exhausted' }) },
  });
  if (lockedForSeconds !== undefined) {
    await recordAudit(deps, 'lockout', { userId: user.id, context, detail: { seconds: lockedForSeconds } });
  }
  if (outcome === 'reused')
    throw new FlowError('mfa_code_reused', 'This code was used already; wait for the next one.');
  throw new FlowError('mfa_code_invalid', 'The code is not valid.');
}
