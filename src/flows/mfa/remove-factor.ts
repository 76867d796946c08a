import { recordAudit } from '../audit.js';
import type { Principal } from '../authenticate/principal.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { assertRecentMultiFactor } from './recent-multi-factor.js';
import { listActiveFactors } from './second-factor-methods.js';

/**
 * Removes one of the caller's factors. An active one needs a recent two-factor sign-in (someone holding
 * only the password must not be able to drop the second factor); an abandoned enrolment does not.
 * When the last active factor goes, the recovery codes go with it.
 */
export async function removeFactor(
  deps: Deps,
  principal: Principal,
  factorId: string,
  context: RequestContext,
): Promise<void> {
  const factor = await deps.stores.secondFactors.findById(factorId);
  if (factor === undefined || factor.userId !== principal.userId) {
    throw new FlowError('factor_not_found', 'No such factor.');
  }
  if (factor.confirmedAt !== null) await assertRecentMultiFactor(deps, principal);
  if (!(await deps.stores.secondFactors.remove(principal.userId, factorId))) {
    throw new FlowError('factor_not_found', 'No such factor.');
  }
  if ((await listActiveFactors(deps, principal.userId)).length === 0) {
    await deps.stores.secondFactors.replaceRecoveryCodes(principal.userId, [], deps.clock.now());
  }
  if (factor.confirmedAt === null) return;
  await recordAudit(deps, 'factor_removed', {
    userId: principal.userId,
    sessionId: principal.sessionId,
    context,
    detail: { factor_id: factor.id, kind: factor.kind },
  });
}
