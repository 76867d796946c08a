import { recordAudit } from '../audit.js';
import type { Principal } from '../authenticate/principal.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { issueRecoveryCodes } from './recovery-codes.js';
import { listActiveFactors } from './second-factor-methods.js';
import { checkTotpCode, normalizeTotpCode } from './totp-factor.js';
import { toFactorView, type FactorView } from './factor-view.js';

/**
 * Activates a pending TOTP enrolment with its first valid code (which is then spent like any other).
 * The user's first active factor comes with ten recovery codes, returned once.
 */
export async function confirmTotp(
  deps: Deps,
  principal: Principal,
  input: { code: string },
  context: RequestContext,
): Promise<{ factor: FactorView; recoveryCodes: string[] | undefined }> {
  const code = normalizeTotpCode(input.code);
  const factors = await deps.stores.secondFactors.listForUser(principal.userId);
  const pending = factors.find((factor) => factor.kind === 'totp' && factor.confirmedAt === null);
  if (pending === undefined) {
    throw new FlowError('mfa_enrolment_not_found', 'There is no authenticator app waiting for confirmation.');
  }
  const hadActiveFactor = (await listActiveFactors(deps, principal.userId)).length > 0;
  const check = await checkTotpCode(deps, pending, code);
  if (check === 'reused')
    throw new FlowError('mfa_code_reused', 'This code was used already; wait for the next one.');
  if (check === 'invalid') throw new FlowError('mfa_code_invalid', 'The code is not valid.');
  const confirmed = await deps.stores.secondFactors.findById(pending.id);
  await recordAudit(deps, 'factor_added', {
    userId: principal.userId,
    sessionId: principal.sessionId,
    context,
    detail: { factor_id: pending.id, kind: pending.kind },
  });
  const recoveryCodes = hadActiveFactor
    ? undefined
    : await issueRecoveryCodes(deps, principal.userId, context, 'first_factor');
  return { factor: toFactorView(confirmed ?? pending), recoveryCodes };
}
