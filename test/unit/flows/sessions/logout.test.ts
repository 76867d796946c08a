import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import { LOGOUT_SCOPES, logout, type LogoutScope } from '../../../../src/flows/sessions/logout.js';
import type { TokenPair } from '../../../../src/flows/sessions/open-jwt-session.js';
import { refresh } from '../../../../src/flows/sessions/refresh.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';

describe.each(STORE_KINDS)('logout over %s stores', (kind) => {
  let deps: TestDeps;
  let phone: TokenPair;
  let laptop: TokenPair;
  let tablet: TokenPair;
  let bob: TokenPair;

  beforeEach(async () => {
    deps = await depsOn(kind);
    phone = await registerUser(deps);
    deps.clock.advanceSeconds(1);
    laptop = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
    deps.clock.advanceSeconds(1);
    tablet = await login(deps, { email: 'ada@example.com', password: PASSWORD }, CONTEXT);
    bob = await registerUser(deps, 'bob@example.com');
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  const live = async (pair: TokenPair) =>
    (await deps.stores.sessions.findById(pair.sessionId))?.revokedAt === null;

  it('has exactly the scopes local, others and global', () => {
    expect(LOGOUT_SCOPES).toEqual(['local', 'others', 'global']);
  });

  it.each<[LogoutScope, ('phone' | 'laptop' | 'tablet')[]]>([
    ['local', ['laptop']],
    ['others', ['phone', 'tablet']],
    ['global', ['phone', 'laptop', 'tablet']],
  ])('scope %s from the laptop revokes %j and never another user’s session', async (scope, expected) => {
    const devices = { phone, laptop, tablet };
    const revoked = await logout(deps, principalOf(deps, laptop), scope, CONTEXT);
    expect(revoked.sort()).toEqual(expected.map((name) => devices[name].sessionId).sort());
    for (const [name, pair] of Object.entries(devices)) {
      expect(await live(pair), name).toBe(!expected.includes(name as keyof typeof devices));
    }
    expect(await live(bob)).toBe(true);
    const session = await deps.stores.sessions.findById(devices[expected[0]!].sessionId);
    expect(session?.revokedReason).toBe(`logout_${scope}`);
    expect(session?.revokedAt).toEqual(deps.clock.now());
  });

  it.each<LogoutScope>(['local', 'others', 'global'])(
    'scope %s: refresh tokens of revoked sessions stop working, the others keep working',
    async (scope) => {
      await logout(deps, principalOf(deps, laptop), scope, CONTEXT);
      for (const pair of [phone, laptop, tablet]) {
        if (await live(pair)) await expect(refresh(deps, pair.refreshToken, CONTEXT)).resolves.toBeDefined();
        else await flowError(refresh(deps, pair.refreshToken, CONTEXT), 'session_revoked');
      }
      await expect(refresh(deps, bob.refreshToken, CONTEXT)).resolves.toBeDefined();
    },
  );

  it('revokes the whole refresh family, including tokens rotated since login', async () => {
    const rotated = await refresh(deps, laptop.refreshToken, CONTEXT);
    await logout(deps, principalOf(deps, laptop), 'local', CONTEXT);
    await flowError(refresh(deps, rotated.refreshToken, CONTEXT), 'session_revoked');
    await flowError(refresh(deps, laptop.refreshToken, CONTEXT), 'session_revoked');
  });

  it('is idempotent: a second logout revokes nothing more', async () => {
    const principal = principalOf(deps, laptop);
    expect(await logout(deps, principal, 'local', CONTEXT)).toEqual([laptop.sessionId]);
    expect(await logout(deps, principal, 'local', CONTEXT)).toEqual([]);
    const revokedAt = (await deps.stores.sessions.findById(laptop.sessionId))?.revokedAt;
    deps.clock.advanceSeconds(60);
    await logout(deps, principal, 'global', CONTEXT);
    // Already-revoked sessions keep their original time and reason.
    const session = await deps.stores.sessions.findById(laptop.sessionId);
    expect(session?.revokedAt).toEqual(revokedAt);
    expect(session?.revokedReason).toBe('logout_local');
  });

  it('a principal naming another user’s session revokes nothing of theirs', async () => {
    const forged = { ...principalOf(deps, laptop), sessionId: bob.sessionId };
    expect(await logout(deps, forged, 'local', CONTEXT)).toEqual([]);
    expect(await live(bob)).toBe(true);
  });

  it('records a logout audit event with the scope and the count', async () => {
    await logout(deps, principalOf(deps, laptop), 'others', CONTEXT);
    const events = await deps.stores.audit.list({ type: 'logout' });
    expect(events).toEqual([
      expect.objectContaining({
        userId: laptop.user.id,
        sessionId: laptop.sessionId,
        detail: { scope: 'others', revoked: 2 },
      }),
    ]);
  });

  it('leaves issued access tokens valid until exp when strict mode is off', async () => {
    await logout(deps, principalOf(deps, laptop), 'global', CONTEXT);
    expect(() => deps.accessTokens.verify(laptop.accessToken, deps.clock.now())).not.toThrow();
  });
});
