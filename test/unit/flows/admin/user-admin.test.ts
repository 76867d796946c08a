import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import { refresh } from '../../../../src/flows/sessions/refresh.js';
import {
  createUser,
  deleteUser,
  disableUser,
  enableUser,
  findUserByEmail,
  listUsers,
  LOCKED_INDEFINITELY,
  lockUser,
  setRolesByEmail,
  unlockUser,
} from '../../../../src/flows/admin/user-admin.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, registerUser, STORE_KINDS } from '../fixtures.js';

const EMAIL = 'ada@example.com';

describe.each(STORE_KINDS)('user admin over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind);
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  describe('createUser', () => {
    it('creates an account with roles that can sign in, and audits it', async () => {
      const user = await createUser(deps, {
        email: ' Ada@Example.com ',
        password: PASSWORD,
        name: ' Ada ',
        roles: ['admin', 'editor', 'admin'],
      });
      expect(user).toMatchObject({ email: EMAIL, name: 'Ada', roles: ['admin', 'editor'], disabled: false });
      expect(JSON.stringify(user)).not.toContain('argon2');
      const pair = await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
      expect(deps.accessTokens.verify(pair.accessToken, deps.clock.now()).roles).toEqual(['admin', 'editor']);
      expect(await deps.stores.audit.list({ type: 'user_created' })).toEqual([
        expect.objectContaining({ userId: user.id, detail: { roles: ['admin', 'editor'], by: 'admin' } }),
      ]);
    });

    it('an empty name is no name; no roles by default', async () => {
      const user = await createUser(deps, { email: EMAIL, password: PASSWORD, name: '  ' });
      expect(user).toMatchObject({ name: null, roles: [] });
    });

    it.each<[string, Parameters<typeof createUser>[1], string]>([
      ['a taken e-mail', { email: 'ADA@example.com', password: PASSWORD }, 'email_taken'],
      ['an invalid e-mail', { email: 'ada', password: PASSWORD }, 'invalid_email'],
      ['a weak password', { email: 'bob@example.com', password: 'short' }, 'weak_password'],
    ])('refuses %s', async (_name, input, code) => {
      await registerUser(deps);
      await flowError(createUser(deps, input), code as never);
      expect(await deps.stores.users.list()).toHaveLength(1);
    });

    it('refuses a malformed role before writing anything', async () => {
      await expect(
        createUser(deps, { email: EMAIL, password: PASSWORD, roles: ['admin', 'Bad Role'] }),
      ).rejects.toThrow(TypeError);
      expect(await deps.stores.users.list()).toEqual([]);
    });
  });

  it('listUsers: oldest first, with limit and offset, never the hash', async () => {
    await createUser(deps, { email: 'a@example.com', password: PASSWORD });
    deps.clock.advanceSeconds(1);
    await createUser(deps, { email: 'b@example.com', password: PASSWORD });
    deps.clock.advanceSeconds(1);
    await createUser(deps, { email: 'c@example.com', password: PASSWORD });
    expect((await listUsers(deps)).map((user) => user.email)).toEqual([
      'a@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    expect((await listUsers(deps, { limit: 1, offset: 1 })).map((user) => user.email)).toEqual([
      'b@example.com',
    ]);
    expect(JSON.stringify(await listUsers(deps))).not.toMatch(/argon2|password/);
  });

  it('findUserByEmail normalises the e-mail; an unknown one → user_not_found', async () => {
    const pair = await registerUser(deps);
    expect((await findUserByEmail(deps, ' ADA@example.com')).id).toBe(pair.user.id);
    await flowError(findUserByEmail(deps, 'nobody@example.com'), 'user_not_found');
  });

  it('setRolesByEmail replaces the roles and returns the updated user', async () => {
    await registerUser(deps);
    expect((await setRolesByEmail(deps, EMAIL, ['editor', 'editor'])).roles).toEqual(['editor']);
    expect((await findUserByEmail(deps, EMAIL)).roles).toEqual(['editor']);
    await flowError(setRolesByEmail(deps, 'nobody@example.com', []), 'user_not_found');
  });

  /** @see issue #12: users list showed a locked-out account as active with 0 failures. */
  it('listUsers shows the failed sign-ins and the automatic lockout; unlockUser lifts both', async () => {
    await registerUser(deps);
    const wrong = () => login(deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT);
    await flowError(wrong(), 'invalid_credentials');
    await flowError(wrong(), 'invalid_credentials');
    expect((await listUsers(deps))[0]).toMatchObject({ failed_login_count: 2, locked_until: null });

    const { threshold, baseSeconds } = deps.config.lockout;
    for (let failure = 2; failure < threshold; failure++) await wrong().catch(() => undefined);
    const lockedUntil = new Date(deps.clock.now().getTime() + baseSeconds * 1000).toISOString();
    expect((await listUsers(deps))[0]).toMatchObject({
      failed_login_count: threshold,
      locked_until: lockedUntil,
    });
    await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_locked');

    // An administrator's lock that ends later wins over the automatic one.
    const adminUntil = new Date(deps.clock.now().getTime() + 86_400_000);
    await lockUser(deps, EMAIL, adminUntil);
    expect((await listUsers(deps))[0]!.locked_until).toBe(adminUntil.toISOString());

    expect(await unlockUser(deps, EMAIL)).toMatchObject({ locked_until: null, failed_login_count: 0 });
    expect((await listUsers(deps))[0]).toMatchObject({ failed_login_count: 0, locked_until: null });
    await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toBeDefined();
  });

  describe('lockUser / unlockUser', () => {
    it('locks until a date: login refused, sessions revoked, refresh refused; lifted by unlock', async () => {
      const pair = await registerUser(deps);
      const until = new Date(deps.clock.now().getTime() + 3600_000);
      const { user, revokedSessions } = await lockUser(deps, EMAIL, until);
      expect(user.locked_until).toBe(until.toISOString());
      expect(revokedSessions).toBe(1);
      await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_disabled');
      await flowError(refresh(deps, pair.refreshToken, CONTEXT), 'session_revoked');
      expect(await deps.stores.audit.list({ type: 'user_locked' })).toEqual([
        expect.objectContaining({
          userId: pair.user.id,
          detail: { until: until.toISOString(), revokedSessions: 1 },
        }),
      ]);

      const unlocked = await unlockUser(deps, EMAIL);
      expect(unlocked).toMatchObject({ locked_until: null, failed_login_count: 0 });
      await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toBeDefined();
      expect(await deps.stores.audit.list({ type: 'user_unlocked' })).toHaveLength(1);
    });

    it('without a date locks indefinitely', async () => {
      await registerUser(deps);
      const { user } = await lockUser(deps, EMAIL);
      expect(user.locked_until).toBe(LOCKED_INDEFINITELY.toISOString());
      deps.clock.advanceSeconds(100 * 365 * 24 * 3600);
      await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_disabled');
    });

    it('a lock that ends now or earlier is refused', async () => {
      await registerUser(deps);
      await expect(lockUser(deps, EMAIL, deps.clock.now())).rejects.toThrow(TypeError);
      expect((await findUserByEmail(deps, EMAIL)).lockedUntil).toBeNull();
    });

    it('an unknown e-mail → user_not_found', async () => {
      await flowError(lockUser(deps, 'nobody@example.com'), 'user_not_found');
      await flowError(unlockUser(deps, 'nobody@example.com'), 'user_not_found');
    });
  });

  it('disableUser ends the sessions and refuses login; enableUser restores it', async () => {
    const pair = await registerUser(deps);
    const { user, revokedSessions } = await disableUser(deps, EMAIL);
    expect(user.disabled).toBe(true);
    expect(revokedSessions).toBe(1);
    await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_disabled');
    await flowError(refresh(deps, pair.refreshToken, CONTEXT), 'session_revoked');
    expect((await enableUser(deps, EMAIL)).disabled).toBe(false);
    await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toBeDefined();
    expect(await deps.stores.audit.list({ type: 'user_disabled' })).toHaveLength(1);
    expect(await deps.stores.audit.list({ type: 'user_enabled' })).toHaveLength(1);
  });

  it('deleteUser removes the account and its sessions, and keeps an audit event', async () => {
    const pair = await registerUser(deps);
    const deleted = await deleteUser(deps, EMAIL);
    expect(deleted.id).toBe(pair.user.id);
    expect(await deps.stores.users.findById(pair.user.id)).toBeUndefined();
    expect(await deps.stores.sessions.findById(pair.sessionId)).toBeUndefined();
    expect(await deps.stores.audit.list({ type: 'user_deleted' })).toEqual([
      expect.objectContaining({ userId: pair.user.id, detail: { email: EMAIL, revokedSessions: 1 } }),
    ]);
    await flowError(deleteUser(deps, EMAIL), 'user_not_found');
  });
});
