import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertNotLockedOut,
  clearLoginFailures,
  recordLoginFailure,
} from '../../../../src/flows/auth/lockout.js';
import { login } from '../../../../src/flows/auth/login.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { CONTEXT, depsOn, flowError, PASSWORD, registerUser, STORE_KINDS } from '../fixtures.js';

const EMAIL = 'ada@example.com';
const LOCKOUT = { threshold: 3, baseSeconds: 10, maxSeconds: 80 };

describe.each(STORE_KINDS)('lockout over %s stores', (kind) => {
  let deps: TestDeps;

  beforeEach(async () => {
    deps = await depsOn(kind, { lockout: LOCKOUT });
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  const fail = (email = EMAIL) =>
    flowError(login(deps, { email, password: 'wrong password!' }, CONTEXT), 'invalid_credentials');
  const locked = async (email = EMAIL, password = PASSWORD) =>
    (await flowError(login(deps, { email, password }, CONTEXT), 'account_locked')).retryAfterSeconds;

  describe('recordLoginFailure', () => {
    it('locks at the threshold and doubles with each further failure, up to the cap', async () => {
      const locks: (number | undefined)[] = [];
      for (let i = 0; i < 7; i += 1) locks.push(await recordLoginFailure(deps, EMAIL));
      // threshold 3, base 10 s: 10, 20, 40, 80, then capped at 80.
      expect(locks).toEqual([undefined, undefined, 10, 20, 40, 80, 80]);
    });

    it('clearLoginFailures starts the count again', async () => {
      await recordLoginFailure(deps, EMAIL);
      await recordLoginFailure(deps, EMAIL);
      await clearLoginFailures(deps, EMAIL);
      expect(await recordLoginFailure(deps, EMAIL)).toBeUndefined();
      expect(await recordLoginFailure(deps, EMAIL)).toBeUndefined();
      expect(await recordLoginFailure(deps, EMAIL)).toBe(10);
    });

    it('assertNotLockedOut passes before the lock, throws with Retry-After during it, passes after it', async () => {
      await expect(assertNotLockedOut(deps, EMAIL)).resolves.toBeUndefined();
      for (let i = 0; i < LOCKOUT.threshold; i += 1) await recordLoginFailure(deps, EMAIL);
      expect((await flowError(assertNotLockedOut(deps, EMAIL), 'account_locked')).retryAfterSeconds).toBe(10);
      // Asking again does not consume the lock.
      expect((await flowError(assertNotLockedOut(deps, EMAIL), 'account_locked')).retryAfterSeconds).toBe(10);
      deps.clock.advanceSeconds(4);
      expect((await flowError(assertNotLockedOut(deps, EMAIL), 'account_locked')).retryAfterSeconds).toBe(6);
      deps.clock.advanceSeconds(6);
      await expect(assertNotLockedOut(deps, EMAIL)).resolves.toBeUndefined();
    });
  });

  it('locks the e-mail after `threshold` wrong passwords: even the right password is refused', async () => {
    await registerUser(deps);
    await fail();
    await fail();
    await fail(); // the third failure itself still answers invalid_credentials…
    expect(await locked()).toBe(10); // …and locks
    expect(await locked(EMAIL, 'wrong password!')).toBe(10);
    deps.clock.advanceSeconds(10);
    await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toBeDefined();
  });

  it('a locked e-mail costs no password hashing', async () => {
    await registerUser(deps);
    for (let i = 0; i < LOCKOUT.threshold; i += 1) await fail();
    let verifies = 0;
    const counting = {
      ...deps,
      hasher: {
        ...deps.hasher,
        verify: (h: string, p: string) => ((verifies += 1), deps.hasher.verify(h, p)),
      },
    };
    await flowError(login(counting, { email: EMAIL, password: PASSWORD }, CONTEXT), 'account_locked');
    expect(verifies).toBe(0);
  });

  it('backs off: each failure after a lock doubles it, up to maxSeconds', async () => {
    await registerUser(deps);
    for (let i = 0; i < LOCKOUT.threshold; i += 1) await fail();
    const seen: (number | undefined)[] = [await locked()];
    for (let i = 0; i < 4; i += 1) {
      deps.clock.advanceSeconds(seen[seen.length - 1]!);
      await fail();
      seen.push(await locked());
    }
    expect(seen).toEqual([10, 20, 40, 80, 80]);
  });

  it('a success before the threshold clears the count', async () => {
    await registerUser(deps);
    await fail();
    await fail();
    await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
    await fail();
    await fail();
    await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).resolves.toBeDefined();
  });

  it('an unknown e-mail locks exactly like a known one (no enumeration)', async () => {
    await registerUser(deps);
    for (let i = 0; i < LOCKOUT.threshold; i += 1) {
      await fail('nobody@example.com');
      await fail();
    }
    expect(await locked('nobody@example.com')).toBe(10);
    expect(await locked()).toBe(10);
  });

  it('is per normalised e-mail: spelling variants share the lock, other e-mails are unaffected', async () => {
    await registerUser(deps);
    await registerUser(deps, 'bob@example.com');
    await fail('ADA@example.com');
    await fail(' ada@Example.com ');
    await fail();
    expect(await locked('Ada@Example.Com')).toBe(10);
    await expect(
      login(deps, { email: 'bob@example.com', password: PASSWORD }, CONTEXT),
    ).resolves.toBeDefined();
  });

  // Regression: assertNotLockedOut once read the lock with getAndDelete and put it back after an await,
  // so concurrent logins in between found no lock (nine of ten got through on memory, five on SQLite).
  // It now reads with the non-destructive EphemeralStore.get.
  it('holds under concurrent attempts (regression: the read-delete-write race in assertNotLockedOut)', async () => {
    await registerUser(deps);
    for (let i = 0; i < LOCKOUT.threshold; i += 1) await fail();
    const attempts = Array.from({ length: 10 }, () =>
      login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT),
    );
    const outcomes = await Promise.allSettled(attempts);
    const codes = outcomes.map((o) =>
      o.status === 'fulfilled' ? 'signed in' : (o.reason as { code?: string }).code,
    );
    expect(codes).toEqual(Array.from({ length: 10 }, () => 'account_locked'));
  });

  it('records a lockout audit event with its length', async () => {
    const pair = await registerUser(deps);
    for (let i = 0; i < LOCKOUT.threshold; i += 1) await fail();
    const events = await deps.stores.audit.list({ type: 'lockout' });
    expect(events).toEqual([expect.objectContaining({ userId: pair.user.id, detail: { seconds: 10 } })]);
  });
});
