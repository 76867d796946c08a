import type { UserRecord } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { normalizeEmail } from '../auth/email-address.js';
import { toAdminUserView, type AdminUserView } from '../admin/user-admin.js';
import { drawLink, storeLink } from './account-links.js';

/** Operator actions on account recovery (`tessera users verify-email|send-reset`), not exposed over HTTP. */

/** The account named by an e-mail (anything with an "@") or an id, or `user_not_found`. */
export async function findUserByEmailOrId(deps: Deps, emailOrId: string): Promise<UserRecord> {
  const user = emailOrId.includes('@')
    ? await deps.stores.users.findByEmail(normalizeEmail(emailOrId))
    : await deps.stores.users.findById(emailOrId.trim());
  if (user === undefined) throw new FlowError('user_not_found', 'No user has this e-mail or id.');
  return user;
}

/** Marks the address verified without a link (the operator vouches for it); idempotent. */
export async function markEmailVerified(deps: Deps, emailOrId: string): Promise<AdminUserView> {
  const user = await findUserByEmailOrId(deps, emailOrId);
  if (user.emailVerifiedAt !== null) return toAdminUserView(user);
  const at = deps.clock.now();
  const updated = await deps.stores.users.update(user.id, { emailVerifiedAt: at, updatedAt: at });
  await deps.stores.accountTokens.revokeForUser(user.id, ['verify_email'], at);
  await recordAudit(deps, 'email_verified', { userId: user.id, detail: { by: 'operator' } });
  return toAdminUserView(updated ?? user);
}

/** Mails the user a password-reset link, as forgot-password would; the operator never sees the link. */
export async function sendPasswordResetLink(deps: Deps, emailOrId: string): Promise<AdminUserView> {
  const user = await findUserByEmailOrId(deps, emailOrId);
  if (user.disabled) throw new FlowError('account_disabled', 'This account is disabled.');
  const link = await storeLink(deps, drawLink(deps), user, 'password_reset', user.email);
  await deps.stores.mailOutbox.enqueue({
    to: user.email,
    template: 'password_reset',
    data: { link, email: user.email, name: user.name ?? '' },
  });
  await recordAudit(deps, 'password_reset_requested', { userId: user.id, detail: { by: 'operator' } });
  return toAdminUserView(user);
}
