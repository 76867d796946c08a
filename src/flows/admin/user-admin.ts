import { EmailTakenError, type UserRecord } from '../../stores/types.js';
import { setUserRoles } from './roles.js';
import { recordAudit } from '../audit.js';
import { accessTokenWindowSeconds } from '../sessions/access-token-window.js';
import type { Deps } from '../deps.js';
import { normalizeEmail, parseEmail } from '../auth/email-address.js';
import { FlowError } from '../flow-error.js';
import { newId } from '../sessions/open-jwt-session.js';
import { checkPasswordPolicy, normalizePassword } from '../auth/password-policy.js';
import { clearLockout, readLockout } from '../auth/lockout.js';
import { checkRoleNames } from './role-names.js';

/**
 * Operator use cases (the `tessera users` CLI): accounts are named by e-mail, the way an operator
 * knows them. Every change is audited; locking, disabling and deleting end the user's sessions too,
 * because refresh only checks `disabled` and a lock must not leave a live refresh token behind.
 */

/** "Locked indefinitely": the last instant of year 9999, a date every store and ISO 8601 can hold. */
export const LOCKED_INDEFINITELY = new Date('9999-12-31T23:59:59.000Z');

/** What an operator sees of an account: everything but the password hash. */
export interface AdminUserView {
  id: string;
  email: string;
  name: string | null;
  roles: string[];
  disabled: boolean;
  /** The address was proven (a link, or an operator's `users verify-email`). */
  email_verified: boolean;
  locked_until: string | null;
  failed_login_count: number;
  created_at: string;
  updated_at: string;
}

export function toAdminUserView(user: UserRecord): AdminUserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    disabled: user.disabled,
    email_verified: user.emailVerifiedAt !== null,
    locked_until: user.lockedUntil?.toISOString() ?? null,
    failed_login_count: user.failedLoginCount,
    created_at: user.createdAt.toISOString(),
    updated_at: user.updatedAt.toISOString(),
  };
}

export interface CreateUserInput {
  email: string;
  password: string;
  name?: string | undefined;
  roles?: readonly string[] | undefined;
}

/** Creates an account with the given roles (unlike register, which never takes roles from its input). */
export async function createUser(deps: Deps, input: CreateUserInput): Promise<AdminUserView> {
  const email = parseEmail(input.email);
  const roles = checkRoleNames(input.roles ?? []);
  const password = normalizePassword(input.password);
  checkPasswordPolicy(password, deps.config.password);
  // An operator tool has no enumeration to hide (unlike register): fail fast, before the slow hash.
  if ((await deps.stores.users.findByEmail(email)) !== undefined) throw emailTaken();
  const passwordHash = await deps.hasher.hash(password);
  let user;
  try {
    user = await deps.stores.users.create({
      id: newId(deps),
      email,
      name: input.name?.trim() || null,
      passwordHash,
      roles,
      createdAt: deps.clock.now(),
    });
  } catch (error) {
    if (error instanceof EmailTakenError) throw emailTaken(); // created by someone else meanwhile
    throw error;
  }
  await recordAudit(deps, 'user_created', { userId: user.id, detail: { roles, by: 'admin' } });
  return toAdminUserView(user);
}

/**
 * Accounts with their sign-in state: `locked_until` is the later of an administrator's lock and the
 * automatic lockout after failed sign-ins, and `failed_login_count` counts the failures of the current
 * lockout window (kept per e-mail in the ephemeral store, decision 0004).
 */
export async function listUsers(
  deps: Deps,
  options: { limit?: number; offset?: number } = {},
): Promise<AdminUserView[]> {
  const users = await deps.stores.users.list(options);
  return Promise.all(
    users.map(async (user) => {
      const lockout = await readLockout(deps, user.email);
      const view = toAdminUserView(user);
      const lockedUntil = laterDate(user.lockedUntil, lockout.lockedUntil);
      return {
        ...view,
        locked_until: lockedUntil?.toISOString() ?? null,
        failed_login_count: lockout.failures,
      };
    }),
  );
}

function laterDate(a: Date | null, b: Date | null): Date | null {
  if (a === null || b === null) return a ?? b;
  return a > b ? a : b;
}

/** The account with this e-mail, or `user_not_found`. */
export async function findUserByEmail(deps: Deps, email: string): Promise<UserRecord> {
  const user = await deps.stores.users.findByEmail(normalizeEmail(email));
  if (user === undefined) throw new FlowError('user_not_found', 'No user has this e-mail.');
  return user;
}

/** Replaces the roles of the user with this e-mail (setUserRoles: validated, audited). */
export async function setRolesByEmail(
  deps: Deps,
  email: string,
  roles: readonly string[],
): Promise<AdminUserView> {
  const user = await findUserByEmail(deps, email);
  await setUserRoles(deps, user.id, roles);
  const updated = await deps.stores.users.findById(user.id);
  if (updated === undefined) throw notFound(); // deleted meanwhile
  return toAdminUserView(updated);
}

/**
 * Locks the account until `until` (indefinitely when null) and ends its sessions. Login refuses a
 * locked account with `account_disabled` (only to someone who knows the password).
 */
export async function lockUser(
  deps: Deps,
  email: string,
  until: Date | null = null,
): Promise<{ user: AdminUserView; revokedSessions: number }> {
  const now = deps.clock.now();
  const lockedUntil = until ?? LOCKED_INDEFINITELY;
  if (lockedUntil <= now) throw new TypeError('The lock must end in the future.');
  const user = await updateByEmail(deps, email, { lockedUntil, updatedAt: now });
  const revoked = await endSessions(deps, user.id, 'user_locked', now);
  await recordAudit(deps, 'user_locked', {
    userId: user.id,
    detail: { until: lockedUntil.toISOString(), revokedSessions: revoked },
  });
  return { user: toAdminUserView(user), revokedSessions: revoked };
}

/** Lifts an admin lock and the automatic lockout, and resets the failed-login count. */
export async function unlockUser(deps: Deps, email: string): Promise<AdminUserView> {
  const now = deps.clock.now();
  const user = await updateByEmail(deps, email, { lockedUntil: null, failedLoginCount: 0, updatedAt: now });
  await clearLockout(deps, user.email);
  await recordAudit(deps, 'user_unlocked', { userId: user.id });
  return toAdminUserView(user);
}

/** Disables the account (refused at login and at refresh) and ends its sessions. */
export async function disableUser(
  deps: Deps,
  email: string,
): Promise<{ user: AdminUserView; revokedSessions: number }> {
  const now = deps.clock.now();
  const user = await updateByEmail(deps, email, { disabled: true, updatedAt: now });
  const revoked = await endSessions(deps, user.id, 'user_disabled', now);
  await recordAudit(deps, 'user_disabled', { userId: user.id, detail: { revokedSessions: revoked } });
  return { user: toAdminUserView(user), revokedSessions: revoked };
}

export async function enableUser(deps: Deps, email: string): Promise<AdminUserView> {
  const user = await updateByEmail(deps, email, { disabled: false, updatedAt: deps.clock.now() });
  await recordAudit(deps, 'user_enabled', { userId: user.id });
  return toAdminUserView(user);
}

/**
 * Deletes the account with its sessions and refresh tokens (the store cascades). Audit events stay.
 * The sessions are revoked first, through the announcing session store: the cascade alone would end
 * them silently, and strict mode answering from the Redis-fed revocation list (no store read) would
 * go on accepting the user's access tokens until `exp`. Tombstones of the sessions revoked within the
 * revocation window keep them in GET /auth/revocations for verifiers (older tombstones are pruned
 * here, so the table holds at most one window of deletions).
 */
export async function deleteUser(deps: Deps, email: string): Promise<AdminUserView> {
  const user = await findUserByEmail(deps, email);
  const now = deps.clock.now();
  const revoked = await endSessions(deps, user.id, 'user_deleted', now);
  const windowStart = new Date(now.getTime() - accessTokenWindowSeconds(deps.config) * 1000);
  await deps.stores.sessions.keepRevocationTombstones(user.id, windowStart);
  await deps.stores.sessions.pruneRevocationTombstones(windowStart);
  if (!(await deps.stores.users.delete(user.id))) throw notFound(); // deleted by someone else meanwhile
  await recordAudit(deps, 'user_deleted', {
    userId: user.id,
    detail: { email: user.email, revokedSessions: revoked },
  });
  return toAdminUserView(user);
}

async function updateByEmail(
  deps: Deps,
  email: string,
  patch: Parameters<Deps['stores']['users']['update']>[1],
): Promise<UserRecord> {
  const user = await findUserByEmail(deps, email);
  const updated = await deps.stores.users.update(user.id, patch);
  if (updated === undefined) throw notFound();
  return updated;
}

async function endSessions(deps: Deps, userId: string, reason: string, at: Date): Promise<number> {
  return (await deps.stores.sessions.revoke({ userId, reason, at })).length;
}

const notFound = () => new FlowError('user_not_found', 'No user has this e-mail.');
const emailTaken = () => new FlowError('email_taken', 'An account with this e-mail already exists.');
