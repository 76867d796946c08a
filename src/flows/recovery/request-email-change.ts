import { recordAudit } from '../audit.js';
import type { Principal } from '../authenticate/principal.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { parseEmail } from '../auth/email-address.js';
import { assertNotLockedOut, clearLoginFailures, recordLoginFailure } from '../auth/lockout.js';
import { normalizePassword } from '../auth/password-policy.js';
import { consoleUrl, drawLink, storeLink } from './account-links.js';

export interface RequestEmailChangeInput {
  newEmail: string;
  password: string;
}

/**
 * A signed-in user asks to move their account to `newEmail`, proving the password again (a stolen
 * session alone cannot take the account away). Nothing changes yet: a link goes to the new address,
 * and the old address is told, with the time and the page to reset the password (a reset cancels
 * pending changes). Whether the new address is taken is not checked here: only its owner, at
 * confirmation, learns it (decision 0008 bounds what that reveals).
 */
export async function requestEmailChange(
  deps: Deps,
  principal: Principal,
  input: RequestEmailChangeInput,
  context: RequestContext,
): Promise<void> {
  const user = await deps.stores.users.findById(principal.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The user no longer exists.');
  const newEmail = parseEmail(input.newEmail);
  await assertNotLockedOut(deps, user.email);
  if (!(await deps.hasher.verify(user.passwordHash, normalizePassword(input.password)))) {
    await recordLoginFailure(deps, user.email);
    throw new FlowError('invalid_credentials', 'The password is incorrect.');
  }
  await clearLoginFailures(deps, user.email);
  if (newEmail === user.email) throw new FlowError('invalid_email', 'This is already your address.');
  const link = await storeLink(deps, drawLink(deps), user, 'email_change', newEmail);
  const at = deps.clock.now();
  const name = user.name ?? '';
  await deps.stores.mailOutbox.enqueue({
    to: newEmail,
    template: 'email_change_confirm',
    data: { link, email: newEmail, name },
  });
  await deps.stores.mailOutbox.enqueue({
    to: user.email,
    template: 'email_change_notice',
    data: {
      email: newEmail,
      name,
      at: at.toISOString(),
      report_link: consoleUrl(deps, 'forgot-password'),
    },
  });
  await recordAudit(deps, 'email_change_requested', {
    userId: user.id,
    sessionId: principal.sessionId,
    context,
  });
}
