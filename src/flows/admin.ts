import { EmailTakenError } from '../stores/types.js';
import { recordAudit } from './audit.js';
import type { Deps } from './deps.js';
import { parseEmail } from './email.js';
import { FlowError } from './flow-error.js';
import { newId } from './issue-tokens.js';
import { checkPasswordPolicy, normalizePassword } from './password-policy.js';

const ROLE_SHAPE = /^[a-z][a-z0-9_:.-]{0,63}$/;

/** Sets a user's roles (admin tools, CLI). Takes effect at the user's next refresh. */
export async function setUserRoles(deps: Deps, userId: string, roles: readonly string[]): Promise<void> {
  const unique = [...new Set(roles)];
  if (!unique.every((role) => ROLE_SHAPE.test(role))) {
    throw new TypeError('Roles are lower-case names of at most 64 characters: letters, digits, _ : . -');
  }
  const updated = await deps.stores.users.update(userId, { roles: unique, updatedAt: deps.clock.now() });
  if (updated === undefined) throw new FlowError('user_not_found', 'No such user.');
  await recordAudit(deps, 'roles_changed', { userId, detail: { roles: unique } });
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
