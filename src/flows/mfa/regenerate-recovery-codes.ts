import type { Principal } from '../authenticate/principal.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { assertRecentMultiFactor } from './recent-multi-factor.js';
import { issueRecoveryCodes } from './recovery-codes.js';
import { listActiveFactors } from './second-factor-methods.js';

/** A new set of ten recovery codes, voiding the old set; needs an active factor and a recent two-factor sign-in. */
export async function regenerateRecoveryCodes(
  deps: Deps,
  principal: Principal,
  context: RequestContext,
): Promise<string[]> {
  if ((await listActiveFactors(deps, principal.userId)).length === 0) {
    throw new FlowError('factor_not_found', 'Set up a second factor first: recovery codes come with it.');
  }
  await assertRecentMultiFactor(deps, principal);
  return issueRecoveryCodes(deps, principal.userId, context, 'regenerated');
}
