import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { createArgon2Hasher } from '../../src/platform/argon2-password-hasher.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import type { EphemeralStore } from '../../src/stores/types.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import {
  EMAIL,
  PASSWORD,
  bearer,
  comparableHeaders,
  expectProblem,
  postLogin,
  registerUser,
  type TokenBody,
} from './http-kit.js';

/** The argon2 PHC prefix up to the salt: algorithm, version and cost parameters. */
function argon2Parameters(hash: string): string {
  return hash.split('$').slice(0, 4).join('$');
}

describe('POST /auth/login', () => {
  let app: FastifyInstance;
  let deps: TestDeps;

  async function start(config: Partial<Config> = {}): Promise<void> {
    ({ app, deps } = await createTestApp({ config }));
  }

  beforeEach(async () => {
    await start();
  });
  afterEach(async () => {
    await app.close();
  });

  it('answers 200 with the same shape as register, never cached, and opens a new session', async () => {
    const registered = await registerUser(app);
    const response = await postLogin(app, '  ALICE@example.com ');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json<TokenBody>();
    expect(Object.keys(body).sort()).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'token_type',
      'user',
    ]);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: registered.user });
    expect(body.refresh_token).not.toBe(registered.refresh_token);
    const sessions = await deps.stores.sessions.listActiveForUser(registered.user.id, deps.clock.now());
    expect(sessions).toHaveLength(2);
    const secure = await app.inject({
      method: 'GET',
      url: '/api/secure',
      headers: bearer(body.access_token),
    });
    expect(secure.statusCode).toBe(200);
  });

  describe('no user enumeration', () => {
    it('answers an unknown e-mail and a wrong password identically: status, headers and body bytes', async () => {
      await registerUser(app);
      const wrongPassword = await postLogin(app, EMAIL, 'not the password');
      const unknownEmail = await postLogin(app, 'nobody@example.com', 'not the password');
      expectProblem(wrongPassword, 401, 'invalid_credentials');
      expect(unknownEmail.statusCode).toBe(wrongPassword.statusCode);
      expect(unknownEmail.rawPayload.equals(wrongPassword.rawPayload)).toBe(true);
      expect(comparableHeaders(unknownEmail)).toEqual(comparableHeaders(wrongPassword));
    });

    it('does the same work for both: exactly one argon2 verification each', async () => {
      const calls: string[] = [];
      const realVerify = deps.hasher.verify.bind(deps.hasher);
      deps.hasher.verify = async (passwordHash, password) => {
        calls.push(passwordHash);
        return realVerify(passwordHash, password);
      };
      const registered = await registerUser(app);
      const stored = await deps.stores.users.findById(registered.user.id);

      expectProblem(await postLogin(app, EMAIL, 'not the password'), 401, 'invalid_credentials');
      expect(calls).toEqual([stored!.passwordHash]);

      expectProblem(
        await postLogin(app, 'nobody@example.com', 'not the password'),
        401,
        'invalid_credentials',
      );
      expect(calls).toEqual([stored!.passwordHash, deps.dummyPasswordHash]);
    });

    it('verifies unknown e-mails against a dummy hash with the same argon2 parameters as real hashes', async () => {
      const registered = await registerUser(app);
      const stored = await deps.stores.users.findById(registered.user.id);
      expect(deps.dummyPasswordHash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
      expect(argon2Parameters(deps.dummyPasswordHash)).toBe(argon2Parameters(stored!.passwordHash));
      expect(deps.hasher.needsRehash(deps.dummyPasswordHash)).toBe(false);
    });

    it('answers a correct password for an unknown e-mail like any failure (the dummy never matches)', async () => {
      expectProblem(await postLogin(app, 'nobody@example.com', PASSWORD), 401, 'invalid_credentials');
    });
  });

  describe('lockout', () => {
    const lockout = { threshold: 3, baseSeconds: 30, maxSeconds: 600 };

    beforeEach(async () => {
      await app.close();
      await start({ lockout });
    });

    async function fail(email: string, times: number): Promise<void> {
      for (let i = 0; i < times; i++)
        expectProblem(await postLogin(app, email, 'wrong password'), 401, 'invalid_credentials');
    }

    it('locks after `threshold` failures: 429 account_locked with Retry-After, even for the right password', async () => {
      await registerUser(app);
      await fail(EMAIL, lockout.threshold);
      const locked = await postLogin(app, EMAIL, PASSWORD);
      expectProblem(locked, 429, 'account_locked');
      expect(locked.headers['retry-after']).toBe(String(lockout.baseSeconds));
      const types = (await deps.stores.audit.list()).map((event) => event.type);
      expect(types).toContain('lockout');
    });

    it('locks an unknown e-mail the same way, so the lock reveals nothing', async () => {
      await registerUser(app);
      await fail(EMAIL, lockout.threshold);
      await fail('nobody@example.com', lockout.threshold);
      const known = await postLogin(app, EMAIL, PASSWORD);
      const unknown = await postLogin(app, 'nobody@example.com', PASSWORD);
      expectProblem(unknown, 429, 'account_locked');
      expect(unknown.rawPayload.equals(known.rawPayload)).toBe(true);
      expect(comparableHeaders(unknown)).toEqual(comparableHeaders(known));
    });

    it('does not verify the password while locked (no guessing through the lock)', async () => {
      await registerUser(app);
      await fail(EMAIL, lockout.threshold);
      let verifications = 0;
      const realVerify = deps.hasher.verify.bind(deps.hasher);
      deps.hasher.verify = async (passwordHash, password) => {
        verifications++;
        return realVerify(passwordHash, password);
      };
      expectProblem(await postLogin(app, EMAIL, PASSWORD), 429, 'account_locked');
      expect(verifications).toBe(0);
    });

    it('counts down Retry-After and unlocks when the lock has run out', async () => {
      await registerUser(app);
      await fail(EMAIL, lockout.threshold);
      deps.clock.advanceSeconds(20);
      const locked = await postLogin(app, EMAIL, PASSWORD);
      expectProblem(locked, 429, 'account_locked');
      expect(locked.headers['retry-after']).toBe('10');
      deps.clock.advanceSeconds(10);
      expect((await postLogin(app, EMAIL, PASSWORD)).statusCode).toBe(200);
    });

    it('backs off: a failure right after a lock locks twice as long', async () => {
      await registerUser(app);
      await fail(EMAIL, lockout.threshold);
      deps.clock.advanceSeconds(lockout.baseSeconds);
      await fail(EMAIL, 1);
      const locked = await postLogin(app, EMAIL, PASSWORD);
      expectProblem(locked, 429, 'account_locked');
      expect(locked.headers['retry-after']).toBe(String(lockout.baseSeconds * 2));
    });

    it('resets the count after a successful sign-in', async () => {
      await registerUser(app);
      await fail(EMAIL, lockout.threshold - 1);
      expect((await postLogin(app)).statusCode).toBe(200);
      await fail(EMAIL, lockout.threshold - 1);
      expect((await postLogin(app)).statusCode).toBe(200);
    });

    it('locks per e-mail: another account stays open', async () => {
      await registerUser(app);
      await registerUser(app, 'bob@example.com');
      await fail(EMAIL, lockout.threshold);
      expect((await postLogin(app, 'bob@example.com')).statusCode).toBe(200);
    });

    // Regression: assertNotLockedOut used to take the lock out with getAndDelete and put it back with set.
    // Against a store with I/O latency (Redis, Postgres, several instances) requests arriving between the
    // two calls saw no lock and reached password verification ([429, 200, 200, 200, 200] here). The store
    // below adds one event-loop turn per call, as a network round trip would.
    it('holds under concurrent requests against a store with latency (no read-delete-write window)', async () => {
      await app.close();
      const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
      ({ app, deps } = await createTestApp({
        config: { lockout },
        stores: (clock) => {
          const stores = createMemoryStores({ clock });
          const inner = stores.ephemeral;
          const ephemeral: EphemeralStore = {
            increment: async (key, ttl) => (await turn(), inner.increment(key, ttl)),
            get: async (key) => (await turn(), inner.get(key)),
            count: async (key) => (await turn(), inner.count(key)),
            getAndDelete: async (key) => (await turn(), inner.getAndDelete(key)),
            set: async (key, value, ttl) => (await turn(), inner.set(key, value, ttl)),
            delete: async (key) => (await turn(), inner.delete(key)),
          };
          return { ...stores, ephemeral, lockouts: ephemeral };
        },
      }));
      await registerUser(app);
      await fail(EMAIL, lockout.threshold);
      let verifications = 0;
      const realVerify = deps.hasher.verify.bind(deps.hasher);
      deps.hasher.verify = async (hash, password) => (verifications++, realVerify(hash, password));
      const responses = await Promise.all(Array.from({ length: 5 }, () => postLogin(app, EMAIL, PASSWORD)));
      expect(responses.map((response) => response.statusCode)).toEqual([429, 429, 429, 429, 429]);
      expect(verifications).toBe(0);
    });
  });

  describe('disabled accounts', () => {
    it('answers account_disabled only to someone who knows the password', async () => {
      const registered = await registerUser(app);
      await deps.stores.users.update(registered.user.id, { disabled: true, updatedAt: deps.clock.now() });
      expectProblem(await postLogin(app, EMAIL, 'wrong password'), 401, 'invalid_credentials');
      expectProblem(await postLogin(app, EMAIL, PASSWORD), 403, 'account_disabled');
      expect(await deps.stores.sessions.listActiveForUser(registered.user.id, deps.clock.now())).toHaveLength(
        1,
      );
    });

    it('treats an admin lock (lockedUntil in the future) like disabled until it passes', async () => {
      const registered = await registerUser(app);
      const until = new Date(deps.clock.now().getTime() + 60_000);
      await deps.stores.users.update(registered.user.id, { lockedUntil: until, updatedAt: deps.clock.now() });
      expectProblem(await postLogin(app), 403, 'account_disabled');
      deps.clock.advanceSeconds(60);
      expect((await postLogin(app)).statusCode).toBe(200);
    });
  });

  describe('rehash on login', () => {
    it('replaces a hash made with other argon2 parameters by one with today’s, and the password still works', async () => {
      const registered = await registerUser(app);
      const legacy = await createArgon2Hasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 }).hash(
        PASSWORD,
      );
      await deps.stores.users.update(registered.user.id, {
        passwordHash: legacy,
        updatedAt: deps.clock.now(),
      });
      expect(deps.hasher.needsRehash(legacy)).toBe(true);

      expect((await postLogin(app)).statusCode).toBe(200);
      const after = (await deps.stores.users.findById(registered.user.id))!.passwordHash;
      expect(after).not.toBe(legacy);
      expect(argon2Parameters(after)).toBe(argon2Parameters(deps.dummyPasswordHash));
      expect(deps.hasher.needsRehash(after)).toBe(false);
      expect((await postLogin(app)).statusCode).toBe(200);
      expectProblem(await postLogin(app, EMAIL, 'wrong password'), 401, 'invalid_credentials');
    });

    it('leaves a hash with today’s parameters alone', async () => {
      const registered = await registerUser(app);
      const before = (await deps.stores.users.findById(registered.user.id))!.passwordHash;
      expect((await postLogin(app)).statusCode).toBe(200);
      expect((await deps.stores.users.findById(registered.user.id))!.passwordHash).toBe(before);
    });

    it('does not rehash on a failed login', async () => {
      const registered = await registerUser(app);
      const legacy = await createArgon2Hasher({ memoryCost: 2048, timeCost: 2, parallelism: 1 }).hash(
        PASSWORD,
      );
      await deps.stores.users.update(registered.user.id, {
        passwordHash: legacy,
        updatedAt: deps.clock.now(),
      });
      expectProblem(await postLogin(app, EMAIL, 'wrong password'), 401, 'invalid_credentials');
      expect((await deps.stores.users.findById(registered.user.id))!.passwordHash).toBe(legacy);
    });

    it('never authenticates against a malformed stored hash', async () => {
      const registered = await registerUser(app);
      await deps.stores.users.update(registered.user.id, {
        passwordHash: 'not-a-hash',
        updatedAt: deps.clock.now(),
      });
      expectProblem(await postLogin(app), 401, 'invalid_credentials');
    });
  });

  describe('request shape', () => {
    it.each([
      [
        'a name member (login takes only e-mail and password)',
        { email: EMAIL, password: PASSWORD, name: 'x' },
      ],
      ['email as a number', { email: 123, password: PASSWORD }],
      ['password as an array', { email: EMAIL, password: [] }],
      ['password as null', { email: EMAIL, password: null }],
      ['an empty password', { email: EMAIL, password: '' }],
      ['no password', { email: EMAIL }],
    ])('refuses %s with 400 invalid_request', async (_label, payload) => {
      await registerUser(app);
      expectProblem(
        await app.inject({ method: 'POST', url: '/auth/login', payload }),
        400,
        'invalid_request',
      );
    });

    it('refuses an unknown query parameter', async () => {
      await registerUser(app);
      const response = await app.inject({
        method: 'POST',
        url: '/auth/login?debug=1',
        payload: { email: EMAIL, password: PASSWORD },
      });
      expectProblem(response, 400, 'invalid_request');
    });
  });
});
