import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { clearLockout } from '../auth/lockout.js';
import { checkPasswordPolicy, normalizePassword } from '../auth/password-policy.js';
import { checkLink, consumeLink, linkOwner } from './account-links.js';
import { notifyPasswordChanged } from './notify-password-changed.js';

export interface ResetPasswordInput {
  token: string;
  newPassword: string;
}

/**
 * Sets a new password with the token of a reset link. Everything that can refuse runs before the link
 * is used (a weak password leaves the link usable), then: the new hash is stored, every session and
 * refresh family of the user is revoked (announced to strict mode and the revocation feed by the
 * session store, as a global logout is), the lockout counters are cleared, pending e-mail changes are
 * cancelled (someone who had the account may have asked for one), the address counts as verified (the
 * link reached it), and the user is told by mail.
 */
export async function resetPassword(
  deps: Deps,
  input: ResetPasswordInput,
  context: RequestContext,
): Promise<void> {
  const record = await checkLink(deps, input.token, 'password_reset', context);
  const user = await linkOwner(deps, record);
  const password = normalizePassword(input.newPassword);
  checkPasswordPolicy(password, deps.config.password);
  const passwordHash = await deps.hasher.hash(password);
  await consumeLink(deps, record, context);
  const at = deps.clock.now();
  const verifies = user.emailVerifiedAt === null && user.email === record.email;
  await deps.stores.users.update(user.id, {
    passwordHash,
    failedLoginCount: 0,
    ...(verifies && { emailVerifiedAt: at }),
    updatedAt: at,
  });
  const revoked = await deps.stores.sessions.revoke({ userId: user.id, reason: 'password_reset', at });
  await clearLockout(deps, user.email);
  await deps.stores.accountTokens.revokeForUser(user.id, ['email_change'], at);
  await recordAudit(deps, 'password_reset', {
    userId: user.id,
    context,
    detail: { revoked: revoked.length },
  });
  await notifyPasswordChanged(deps, user, at);
}
