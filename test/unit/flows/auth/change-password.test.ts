import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticateSessionToken } from '../../../../src/flows/authenticate/authenticate-session-token.js';
import { changePassword } from '../../../../src/flows/auth/change-password.js';
import type { SessionTokenGrant } from '../../../../src/flows/sessions/open-stateful-session.js';
import type { TokenPair } from '../../../../src/flows/sessions/open-jwt-session.js';
import { login, loginWithSessionToken } from '../../../../src/flows/auth/login.js';
import type { Principal } from '../../../../src/flows/authenticate/principal.js';
import { refresh } from '../../../../src/flows/sessions/refresh.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, principalOf, registerUser, STORE_KINDS } from '../fixtures.js';

const EMAIL = 'ada@example.com';
const NEW_PASSWORD = 'a brand new passphrase';

describe.each(STORE_KINDS)('changePassword over %s stores', (kind) => {
  let deps: TestDeps;
  let phone: TokenPair;
  let laptop: SessionTokenGrant;
  let tablet: SessionTokenGrant;
  let bob: TokenPair;

  beforeEach(async () => {
    deps = await depsOn(kind);
    phone = await registerUser(deps);
    laptop = await loginWithSessionToken(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
    tablet = await loginWithSessionToken(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
    bob = await registerUser(deps, 'bob@example.com');
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  const asSession = (grant: SessionTokenGrant): Principal => ({
    userId: grant.user.id,
    sessionId: grant.sessionId,
    roles: [],
    kind: 'session',
    claims: null,
  });
  const change = (principal: Principal, currentPassword = PASSWORD, newPassword = NEW_PASSWORD) =>
    changePassword(deps, principal, { currentPassword, newPassword }, CONTEXT);
  const sessionWorks = (grant: SessionTokenGrant) =>
    authenticateSessionToken(deps, grant.sessionToken).then(
      () => true,
      () => false,
    );
  const refreshWorks = (pair: TokenPair) =>
    refresh(deps, pair.refreshToken, CONTEXT).then(
      () => true,
      () => false,
    );
  const signsInWith = (password: string) =>
    login(deps, { email: EMAIL, password }, CONTEXT).then(
      () => true,
      () => false,
    );

  it('from a session token: rehashes, keeps this session, revokes every other one of both kinds', async () => {
    const before = (await deps.stores.users.findById(phone.user.id))!.passwordHash;
    deps.clock.advanceSeconds(10);
    const revoked = await change(asSession(laptop));
    expect(revoked.sort()).toEqual([phone.sessionId, tablet.sessionId].sort());
    expect(await sessionWorks(laptop)).toBe(true);
    expect(await sessionWorks(tablet)).toBe(false);
    expect(await refreshWorks(phone)).toBe(false);
    expect(await refreshWorks(bob)).toBe(true);
    const user = (await deps.stores.users.findById(phone.user.id))!;
    expect(user.passwordHash).not.toBe(before);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.updatedAt).toEqual(deps.clock.now());
    expect(await deps.stores.sessions.findById(tablet.sessionId)).toMatchObject({
      revokedReason: 'password_changed',
      revokedAt: deps.clock.now(),
    });
    expect(await signsInWith(PASSWORD)).toBe(false);
    expect(await signsInWith(NEW_PASSWORD)).toBe(true);
  });

  it('from a JWT session: keeps that session (its refresh family too), revokes the session tokens', async () => {
    const revoked = await change(principalOf(deps, phone));
    expect(revoked.sort()).toEqual([laptop.sessionId, tablet.sessionId].sort());
    expect(await refreshWorks(phone)).toBe(true);
    expect([await sessionWorks(laptop), await sessionWorks(tablet)]).toEqual([false, false]);
  });

  it('records a password_changed audit event with the count, never the password', async () => {
    await change(asSession(laptop));
    const events = await deps.stores.audit.list({ type: 'password_changed' });
    expect(events).toEqual([
      expect.objectContaining({
        userId: phone.user.id,
        sessionId: laptop.sessionId,
        ip: CONTEXT.ip,
        detail: { revoked: 2 },
      }),
    ]);
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });

  it('compares and stores passwords after NFC normalisation', async () => {
    const decomposed = 'cafe\u0301 au lait, s’il vous plaît';
    await change(asSession(laptop), PASSWORD, decomposed);
    expect(await signsInWith(decomposed.normalize('NFC'))).toBe(true);
    await change(asSession(laptop), decomposed.normalize('NFC'), NEW_PASSWORD);
    expect(await signsInWith(NEW_PASSWORD)).toBe(true);
  });

  it('a wrong current password → invalid_credentials, and nothing changes', async () => {
    const before = (await deps.stores.users.findById(phone.user.id))!.passwordHash;
    await flowError(change(asSession(laptop), 'not the password'), 'invalid_credentials');
    expect((await deps.stores.users.findById(phone.user.id))!.passwordHash).toBe(before);
    expect([await sessionWorks(tablet), await refreshWorks(phone)]).toEqual([true, true]);
    expect(await deps.stores.audit.list({ type: 'password_changed' })).toEqual([]);
  });

  it('wrong current passwords count toward the lockout, like failed sign-ins', async () => {
    for (let i = 0; i < deps.config.lockout.threshold; i++) {
      await flowError(change(asSession(laptop), `guess ${i}`), 'invalid_credentials');
    }
    await flowError(change(asSession(laptop)), 'account_locked');
    await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_locked');
  });

  it('a right current password clears earlier failures', async () => {
    for (let i = 0; i < deps.config.lockout.threshold - 1; i++) {
      await flowError(change(asSession(laptop), `guess ${i}`), 'invalid_credentials');
    }
    await change(asSession(laptop));
    await flowError(change(asSession(laptop), 'one more guess'), 'invalid_credentials');
    await expect(change(asSession(laptop), NEW_PASSWORD, PASSWORD)).resolves.toBeDefined();
  });

  it.each<[string, string]>([
    ['too short', 'short'],
    ['too long', 'x'.repeat(129)],
    ['a lone surrogate', 'long enough \ud800 password'],
  ])('a new password that is %s → weak_password, and nothing changes', async (_label, weak) => {
    await flowError(change(asSession(laptop), PASSWORD, weak), 'weak_password');
    expect(await signsInWith(PASSWORD)).toBe(true);
    expect(await sessionWorks(tablet)).toBe(true);
  });

  it('a deleted user → user_not_found', async () => {
    const principal = asSession(laptop);
    await deps.stores.users.delete(phone.user.id);
    await flowError(change(principal), 'user_not_found');
  });
});
