import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { login } from '../../../../src/flows/auth/login.js';
import type { PasswordHasher } from '../../../../src/flows/auth/password-hasher.js';
import { createArgon2Hasher } from '../../../../src/platform/argon2-password-hasher.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, registerUser, STORE_KINDS } from '../fixtures.js';

const EMAIL = 'ada@example.com';

/** The deps with a hasher whose calls are counted (the real fast argon2id underneath). */
function spyingOn(deps: TestDeps) {
  const real = deps.hasher;
  const hasher = {
    hash: vi.fn((password: string) => real.hash(password)),
    verify: vi.fn((hash: string, password: string) => real.verify(hash, password)),
    needsRehash: vi.fn((hash: string) => real.needsRehash(hash)),
  } satisfies PasswordHasher;
  return { deps: { ...deps, hasher }, hasher };
}

describe.each(STORE_KINDS)('login over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind);
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  it('opens a new session per login and returns a token pair', async () => {
    const registered = await registerUser(deps);
    deps.clock.advanceSeconds(5);
    const pair = await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
    expect(pair.user).toEqual(registered.user);
    expect(pair.sessionId).not.toBe(registered.sessionId);
    expect(pair.expiresIn).toBe(deps.config.accessTokenTtlSeconds);
    const claims = deps.accessTokens.verify(pair.accessToken, deps.clock.now());
    expect(claims).toMatchObject({ sub: registered.user.id, sid: pair.sessionId });
    const session = await deps.stores.sessions.findById(pair.sessionId);
    expect(session).toMatchObject({
      userId: registered.user.id,
      kind: 'jwt',
      ip: CONTEXT.ip,
      userAgent: CONTEXT.userAgent,
    });
    expect(await deps.stores.sessions.listActiveForUser(registered.user.id, deps.clock.now())).toHaveLength(
      2,
    );
    const audit = await deps.stores.audit.list({ type: 'login_succeeded' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ userId: registered.user.id, sessionId: pair.sessionId, ip: CONTEXT.ip });
  });

  it('finds the account by the normalised e-mail', async () => {
    const registered = await registerUser(deps);
    const pair = await login(deps, { email: '  ADA@Example.COM ', password: PASSWORD }, CONTEXT);
    expect(pair.user.id).toBe(registered.user.id);
  });

  it('compares passwords after NFC normalisation', async () => {
    const nfc = 'caf\u00e9-au-lait-\u00e9t\u00e9';
    const nfd = nfc.normalize('NFD');
    expect(nfd).not.toBe(nfc);
    const registered = await registerUser(deps, EMAIL, nfd);
    const pair = await login(deps, { email: EMAIL, password: nfc }, CONTEXT);
    expect(pair.user.id).toBe(registered.user.id);
  });

  it('does not trim or case-fold the password', async () => {
    await registerUser(deps);
    await flowError(login(deps, { email: EMAIL, password: ` ${PASSWORD}` }, CONTEXT), 'invalid_credentials');
    await flowError(
      login(deps, { email: EMAIL, password: PASSWORD.toUpperCase() }, CONTEXT),
      'invalid_credentials',
    );
  });

  describe('invalid_credentials: an unknown e-mail and a wrong password look and cost the same', () => {
    it('a wrong password verifies once against the user’s hash', async () => {
      const registered = await registerUser(deps);
      const stored = (await deps.stores.users.findById(registered.user.id))!.passwordHash;
      const spy = spyingOn(deps);
      const error = await flowError(
        login(spy.deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT),
        'invalid_credentials',
      );
      expect(spy.hasher.verify).toHaveBeenCalledTimes(1);
      expect(spy.hasher.verify).toHaveBeenCalledWith(stored, 'wrong password!');
      expect(spy.hasher.hash).not.toHaveBeenCalled();
      expect(error.message).toBe('The e-mail or password is incorrect.');
    });

    it('an unknown e-mail verifies once against the dummy hash', async () => {
      await registerUser(deps);
      const spy = spyingOn(deps);
      const error = await flowError(
        login(spy.deps, { email: 'nobody@example.com', password: PASSWORD }, CONTEXT),
        'invalid_credentials',
      );
      expect(spy.hasher.verify).toHaveBeenCalledTimes(1);
      expect(spy.hasher.verify).toHaveBeenCalledWith(deps.dummyPasswordHash, PASSWORD);
      expect(spy.hasher.hash).not.toHaveBeenCalled();
      expect(error.message).toBe('The e-mail or password is incorrect.');
    });

    it('the dummy hash has today’s parameters (the same argon2 work as a real one)', () => {
      expect(deps.hasher.needsRehash(deps.dummyPasswordHash)).toBe(false);
    });

    it('neither error names the e-mail or the password', async () => {
      await registerUser(deps);
      for (const input of [
        { email: EMAIL, password: 'wrong password!' },
        { email: 'nobody@example.com', password: 'wrong password!' },
      ]) {
        const error = await flowError(login(deps, input, CONTEXT), 'invalid_credentials');
        expect(error.message).not.toContain(input.email);
        expect(error.message).not.toContain(input.password);
      }
    });

    it('records login_failed with the user when there is one', async () => {
      const registered = await registerUser(deps);
      await flowError(
        login(deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT),
        'invalid_credentials',
      );
      await flowError(
        login(deps, { email: 'nobody@example.com', password: PASSWORD }, CONTEXT),
        'invalid_credentials',
      );
      const events = await deps.stores.audit.list({ type: 'login_failed' });
      expect(events.map((e) => e.userId).sort()).toEqual([registered.user.id, null].sort());
    });

    it('an empty password is simply wrong', async () => {
      await registerUser(deps);
      await flowError(login(deps, { email: EMAIL, password: '' }, CONTEXT), 'invalid_credentials');
    });

    it('a malformed e-mail is an unknown e-mail, not invalid_email', async () => {
      await flowError(
        login(deps, { email: 'not an e-mail', password: PASSWORD }, CONTEXT),
        'invalid_credentials',
      );
    });
  });

  describe('account_disabled only after the correct password', () => {
    it('a disabled account: wrong password → invalid_credentials, right password → account_disabled', async () => {
      const registered = await registerUser(deps);
      await deps.stores.users.update(registered.user.id, { disabled: true, updatedAt: deps.clock.now() });
      await flowError(
        login(deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT),
        'invalid_credentials',
      );
      await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_disabled');
      expect(await deps.stores.sessions.listActiveForUser(registered.user.id, deps.clock.now())).toHaveLength(
        1,
      );
    });

    it('an account an admin locked until later: account_disabled until then, fine afterwards', async () => {
      const registered = await registerUser(deps);
      const until = new Date(deps.clock.now().getTime() + 60_000);
      await deps.stores.users.update(registered.user.id, { lockedUntil: until, updatedAt: deps.clock.now() });
      await flowError(
        login(deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT),
        'invalid_credentials',
      );
      await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_disabled');
      deps.clock.advanceSeconds(60); // lockedUntil == now: no longer locked
      await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toMatchObject({
        user: { id: registered.user.id },
      });
    });
  });

  describe('rehash', () => {
    it('a hash made with other parameters is replaced on a successful login', async () => {
      const registered = await registerUser(deps);
      const older = createArgon2Hasher({ memoryCost: 2048, timeCost: 1, parallelism: 1 });
      const oldHash = await older.hash(PASSWORD);
      await deps.stores.users.update(registered.user.id, {
        passwordHash: oldHash,
        updatedAt: deps.clock.now(),
      });
      expect(deps.hasher.needsRehash(oldHash)).toBe(true);

      deps.clock.advanceSeconds(30);
      const spy = spyingOn(deps);
      await login(spy.deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
      expect(spy.hasher.hash).toHaveBeenCalledTimes(1);
      const user = (await deps.stores.users.findById(registered.user.id))!;
      expect(user.passwordHash).not.toBe(oldHash);
      expect(deps.hasher.needsRehash(user.passwordHash)).toBe(false);
      expect(user.updatedAt).toEqual(deps.clock.now());
      // The new hash still checks out.
      await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toBeDefined();
    });

    it('a current hash is left alone', async () => {
      const registered = await registerUser(deps);
      const before = (await deps.stores.users.findById(registered.user.id))!.passwordHash;
      const spy = spyingOn(deps);
      await login(spy.deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
      expect(spy.hasher.hash).not.toHaveBeenCalled();
      expect((await deps.stores.users.findById(registered.user.id))!.passwordHash).toBe(before);
    });

    it('a wrong password never triggers a rehash', async () => {
      const registered = await registerUser(deps);
      const oldHash = await createArgon2Hasher({ memoryCost: 2048, timeCost: 1, parallelism: 1 }).hash(
        PASSWORD,
      );
      await deps.stores.users.update(registered.user.id, {
        passwordHash: oldHash,
        updatedAt: deps.clock.now(),
      });
      const spy = spyingOn(deps);
      await flowError(
        login(spy.deps, { email: EMAIL, password: 'wrong password!' }, CONTEXT),
        'invalid_credentials',
      );
      expect(spy.hasher.hash).not.toHaveBeenCalled();
      expect((await deps.stores.users.findById(registered.user.id))!.passwordHash).toBe(oldHash);
    });

    it('a malformed stored hash never authenticates anyone', async () => {
      const registered = await registerUser(deps);
      await deps.stores.users.update(registered.user.id, {
        passwordHash: 'not-a-hash',
        updatedAt: deps.clock.now(),
      });
      await flowError(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT), 'invalid_credentials');
      await flowError(login(deps, { email: EMAIL, password: 'not-a-hash' }, CONTEXT), 'invalid_credentials');
    });
  });
});
