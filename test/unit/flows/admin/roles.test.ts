import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/config/types.js';
import { ensureBootstrapAdmin, setUserRoles } from '../../../../src/flows/admin/roles.js';
import { login } from '../../../../src/flows/auth/login.js';
import { EmailTakenError, type NewUser } from '../../../../src/stores/types.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import {
  CONTEXT,
  depsOn,
  flowError,
  PASSWORD,
  registerUser,
  STORE_KINDS,
  type StoreKind,
} from '../fixtures.js';

const ADMIN = { email: 'Root@Example.com', password: 'bootstrap password 1' };

describe.each(STORE_KINDS)('admin over %s stores', (kind: StoreKind) => {
  let deps: TestDeps;
  const open = async (config: Partial<Config> = {}) => (deps = await depsOn(kind, config));

  afterEach(async () => {
    await deps.stores.close();
  });

  describe('setUserRoles', () => {
    it('replaces the roles, deduplicated, and records an audit event', async () => {
      await open();
      const pair = await registerUser(deps);
      deps.clock.advanceSeconds(5);
      await setUserRoles(deps, pair.user.id, ['admin', 'billing:read', 'admin']);
      const user = (await deps.stores.users.findById(pair.user.id))!;
      expect(user.roles).toEqual(['admin', 'billing:read']);
      expect(user.updatedAt).toEqual(deps.clock.now());
      expect(await deps.stores.audit.list({ type: 'roles_changed' })).toEqual([
        expect.objectContaining({ userId: pair.user.id, detail: { roles: ['admin', 'billing:read'] } }),
      ]);
      await setUserRoles(deps, pair.user.id, []);
      expect((await deps.stores.users.findById(pair.user.id))!.roles).toEqual([]);
    });

    it.each<string>(['a', 'admin', 'billing:read', 'team.lead', 'ops-2', 'x_y', `a${'b'.repeat(63)}`])(
      'accepts the role %j',
      async (role) => {
        await open();
        const pair = await registerUser(deps);
        await setUserRoles(deps, pair.user.id, [role]);
        expect((await deps.stores.users.findById(pair.user.id))!.roles).toEqual([role]);
      },
    );

    it.each<[string, string]>([
      ['empty', ''],
      ['upper case', 'Admin'],
      ['a leading digit', '1admin'],
      ['a leading separator', ':admin'],
      ['a space', 'super admin'],
      ['a trailing newline', 'admin\n'],
      ['a slash', 'admin/read'],
      ['a non-ASCII letter', 'ädmin'],
      ['65 characters', `a${'b'.repeat(64)}`],
    ])('refuses a role that has %s, and changes nothing', async (_name, role) => {
      await open();
      const pair = await registerUser(deps);
      await setUserRoles(deps, pair.user.id, ['editor']);
      await expect(setUserRoles(deps, pair.user.id, ['admin', role])).rejects.toThrow(TypeError);
      expect((await deps.stores.users.findById(pair.user.id))!.roles).toEqual(['editor']);
    });

    it('an unknown user → user_not_found, and no audit event', async () => {
      await open();
      await flowError(setUserRoles(deps, 'no-such-user', ['admin']), 'user_not_found');
      expect(await deps.stores.audit.list({ type: 'roles_changed' })).toEqual([]);
    });
  });

  describe('ensureBootstrapAdmin', () => {
    it('does nothing when no bootstrap admin is configured', async () => {
      await open({ bootstrapAdmin: null });
      await ensureBootstrapAdmin(deps);
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('creates the admin with the admin role and a working password', async () => {
      await open({ bootstrapAdmin: ADMIN });
      await ensureBootstrapAdmin(deps);
      const users = await deps.stores.users.list();
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ email: 'root@example.com', name: 'Administrator', roles: ['admin'] });
      const pair = await login(deps, { email: ADMIN.email, password: ADMIN.password }, CONTEXT);
      expect(deps.accessTokens.verify(pair.accessToken, deps.clock.now()).roles).toEqual(['admin']);
    });

    it('is idempotent: a second start neither duplicates the user nor resets a changed password', async () => {
      await open({ bootstrapAdmin: ADMIN });
      await ensureBootstrapAdmin(deps);
      const [created] = await deps.stores.users.list();
      const newHash = await deps.hasher.hash('a password changed since');
      await deps.stores.users.update(created!.id, { passwordHash: newHash, updatedAt: deps.clock.now() });

      await ensureBootstrapAdmin(deps);
      await ensureBootstrapAdmin(deps);

      const users = await deps.stores.users.list();
      expect(users).toHaveLength(1);
      expect(users[0]).toMatchObject({ id: created!.id, roles: ['admin'], passwordHash: newHash });
      expect(await deps.stores.audit.list({ type: 'roles_changed' })).toEqual([]);
      await flowError(login(deps, ADMIN, CONTEXT), 'invalid_credentials');
    });

    it('adds the admin role to an existing user, keeping their roles and password', async () => {
      await open({ bootstrapAdmin: { email: 'ada@example.com', password: 'whatever the config says' } });
      const pair = await registerUser(deps);
      await setUserRoles(deps, pair.user.id, ['editor']);
      await ensureBootstrapAdmin(deps);
      const user = (await deps.stores.users.findById(pair.user.id))!;
      expect(user.roles).toEqual(['editor', 'admin']);
      await expect(
        login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT),
      ).resolves.toBeDefined();
      expect(await deps.stores.users.list()).toHaveLength(1);
    });

    it('when another instance creates the admin first, adds the role to theirs', async () => {
      await open({ bootstrapAdmin: ADMIN });
      const users = deps.stores.users;
      const realCreate = users.create.bind(users);
      // Another instance wins the race between our findByEmail and our create (without the role yet).
      users.create = async (user: NewUser) => {
        users.create = realCreate;
        await realCreate({ ...user, id: 'other-instance', roles: [] });
        throw new EmailTakenError();
      };
      await ensureBootstrapAdmin(deps);
      const all = await deps.stores.users.list();
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ id: 'other-instance', roles: ['admin'] });
    });

    it('refuses a bootstrap password that breaks the policy', async () => {
      await open({ bootstrapAdmin: { email: 'root@example.com', password: 'short' } });
      await flowError(ensureBootstrapAdmin(deps), 'weak_password');
      expect(await deps.stores.users.list()).toEqual([]);
    });

    it('refuses a bootstrap e-mail that is not an e-mail', async () => {
      await open({ bootstrapAdmin: { email: 'root', password: ADMIN.password } });
      await flowError(ensureBootstrapAdmin(deps), 'invalid_email');
    });
  });
});
