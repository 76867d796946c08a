import { EmailTakenError } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { toUserView } from '../sessions/views.js';
import type { UserView } from '../../wire/user-view.js';
import { checkLink, consumeLink, linkOwner } from './account-links.js';

const TAKEN = 'An account with this e-mail already exists.';

/**
 * Moves the account to the address the link was sent to, which the link also proves (verified). An
 * address another account took meanwhile is refused with `email_taken`, before the link is used, and
 * only to whoever holds the link, i.e. reads that mailbox (no more than registration reveals, decision
 * 0008). Other pending changes and verification links of the old address are voided.
 */
export async function confirmEmailChange(
  deps: Deps,
  token: string,
  context: RequestContext,
): Promise<UserView> {
  const record = await checkLink(deps, token, 'email_change', context);
  const user = await linkOwner(deps, record);
  const holder = await deps.stores.users.findByEmail(record.email);
  if (holder !== undefined && holder.id !== user.id) throw new FlowError('email_taken', TAKEN);
  await consumeLink(deps, record, context);
  const at = deps.clock.now();
  let updated;
  try {
    updated = await deps.stores.users.update(user.id, {
      email: record.email,
      emailVerifiedAt: at,
      updatedAt: at,
    });
  } catch (error) {
    // Taken between the check and the update (a registration in between).
    if (error instanceof EmailTakenError) throw new FlowError('email_taken', TAKEN);
    throw error;
  }
  await deps.stores.accountTokens.revokeForUser(user.id, ['email_change', 'verify_email'], at);
  await recordAudit(deps, 'email_changed', { userId: user.id, context });
  return toUserView(updated ?? user);
}
