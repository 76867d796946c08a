import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { assertNotLockedOut, clearLoginFailures, recordLoginFailure } from './lockout.js';
import { checkPasswordPolicy, normalizePassword } from './password-policy.js';
import type { Principal } from '../authenticate/principal.js';
import { notifyPasswordChanged } from '../recovery/notify-password-changed.js';

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

/**
 * Changes the signed-in user's password: the current one must verify (a stolen session alone cannot
 * take over the account), the new one must meet the policy, and then every OTHER session of the user,
 * of both kinds, is revoked with its refresh tokens; the caller's own session stays signed in; pending
 * reset links are voided and the user is told by mail.
 * A wrong current password counts toward the e-mail's lockout like a failed sign-in, so this route is
 * no faster oracle for guessing the password than /auth/login. Returns the ids of revoked sessions.
 */
export async function changePassword(
  deps: Deps,
  principal: Principal,
  input: ChangePasswordInput,
  context: RequestContext,
): Promise<string[]> {
  const user = await deps.stores.users.findById(principal.userId);
  if (user === undefined) throw new FlowError('user_not_found', 'The user no longer exists.');
  await assertNotLockedOut(deps, user.email);
  if (!(await deps.hasher.verify(user.passwordHash, normalizePassword(input.currentPassword)))) {
    await recordLoginFailure(deps, user.email);
    throw new FlowError('invalid_credentials', 'The current password is incorrect.');
  }
  await clearLoginFailures(deps, user.email);
  const newPassword = normalizePassword(input.newPassword);
  checkPasswordPolicy(newPassword, deps.config.password);
  const passwordHash = await deps.hasher.hash(newPassword);
  const at = deps.clock.now();
  await deps.stores.users.update(user.id, { passwordHash, updatedAt: at });
  const revoked = await deps.stores.sessions.revoke({
    userId: user.id,
    exceptId: principal.sessionId,
    reason: 'password_changed',
    at,
  });
  await recordAudit(deps, 'password_changed', {
    userId: user.id,
    sessionId: principal.sessionId,
    context,
    detail: { revoked: revoked.length },
  });
  // Pending reset links die with the old password, and the owner hears of the change.
  await notifyPasswordChanged(deps, user, at);
  return revoked;
}
