import { EmailTakenError } from '../../stores/types.js';
import { recordAudit } from '../audit.js';
import type { Deps } from '../deps.js';
import { parseEmail } from '../auth/email-address.js';
import { FlowError } from '../flow-error.js';
import { newId } from '../sessions/open-jwt-session.js';
import { checkPasswordPolicy, normalizePassword } from '../auth/password-policy.js';
import { checkRoleNames } from './role-names.js';

/**
 * Sets a user's roles (admin tools, CLI). JWT sessions pick the new roles up at their next refresh
 * (access tokens carry roles until `exp`). When the roles actually change, the user's session-mode
 * sessions are revoked: a privilege change is where OWASP asks for a new session, so a session token
 * obtained before the change (leaked, or planted in a shared browser) never silently gains the new
 * rights, and a demoted user's open sessions end at once; the user signs in again and gets a fresh
 * token. JWT sessions are left alone: their refresh tokens rotate anyway, their access tokens expire
 * within minutes, and revoking every device's refresh family for each role change would sign the user
 * out everywhere without ending the access tokens already issued (those need strict mode).
 */
export async function setUserRoles(deps: Deps, userId: string, roles: readonly string[]): Promise<void> {
  const unique = checkRoleNames(roles);
  const before = await deps.stores.users.findById(userId);
  const at = deps.clock.now();
  const updated = await deps.stores.users.update(userId, { roles: unique, updatedAt: at });
  if (before === undefined || updated === undefined) throw new FlowError('user_not_found', 'No such user.');
  await recordAudit(deps, 'roles_changed', { userId, detail: { roles: unique } });
  if (sameRoles(before.roles, unique)) return;
  // Listed after the update: a session opened meanwhile already reads the new roles on every request.
  const sessions = await deps.stores.sessions.listActiveForUser(userId, at);
  const ids = sessions.filter((session) => session.kind === 'session').map((session) => session.id);
  if (ids.length > 0) await deps.stores.sessions.revoke({ userId, ids, reason: 'roles_changed', at });
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}

/**
 * Makes sure the configured bootstrap admin exists and has the `admin` role. Idempotent: a second
 * start neither duplicates the user nor resets a password that has since been changed.
 */
export async function ensureBootstrapAdmin(deps: Deps): Promise<void> {
  const bootstrap = deps.config.bootstrapAdmin;
  if (bootstrap === null) return;
  const email = parseEmail(bootstrap.email);
  let user = await deps.stores.users.findByEmail(email);
  if (user === undefined) {
    const password = normalizePassword(bootstrap.password);
    checkPasswordPolicy(password, deps.config.password);
    try {
      user = await deps.stores.users.create({
        id: newId(deps),
        email,
        name: 'Administrator',
        passwordHash: await deps.hasher.hash(password),
        roles: ['admin'],
        createdAt: deps.clock.now(),
      });
      deps.logger.info({ userId: user.id }, 'bootstrap admin created');
      return;
    } catch (error) {
      if (!(error instanceof EmailTakenError)) throw error;
      user = await deps.stores.users.findByEmail(email); // another instance created it first
    }
  }
  if (user !== undefined && !user.roles.includes('admin'))
    await setUserRoles(deps, user.id, [...user.roles, 'admin']);
}
