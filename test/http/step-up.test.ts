import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import type { FactorPresence } from '../../src/flows/auth/factor-presence.js';
import { signJwt } from '../../src/token/jwt-sign.js';
import type { JwtClaims } from '../../src/token/claims.js';
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from '../../src/wire/authentication-strength.js';
import { buildCheckedApp, createTestDeps, type TestDeps } from '../helpers/test-deps.js';
import {
  bearer,
  EMAIL,
  expectProblem,
  loginUser,
  PASSWORD,
  registerUser,
  type TokenBody,
} from './http-kit.js';

const BOB = 'bob@example.com';
const NEW_PASSWORD = 'a brand new passphrase';
const ACR_2FA_CHALLENGE = `acr_values="${ACR_MULTI_FACTOR}"`;

describe('step-up (RFC 9470) on Tessera’s own sensitive routes', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  /** Users "with a second factor", as the fake FactorPresence answers. */
  let withFactor: Set<string>;

  afterEach(async () => {
    await app.close();
  });

  async function start(config: Partial<Config> = {}, factorPresence = true): Promise<void> {
    const base = await createTestDeps({ config });
    withFactor = new Set();
    const presence: FactorPresence = { hasSecondFactor: async (userId) => withFactor.has(userId) };
    deps = factorPresence ? { ...base, factorPresence: presence } : base;
    app = await buildCheckedApp(deps);
  }

  /** The same access token re-signed by the server's key with the given sign-in facts. */
  function withSignIn(accessToken: string, facts: { acr?: string; auth_time?: number }): string {
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString());
    return signJwt({ ...claims, ...facts } as JwtClaims, deps.keys.signingKey, { typ: 'at+jwt' });
  }
  const nowS = () => Math.floor(deps.clock.now().getTime() / 1000);
  const sidOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sid as string;

  /** Alice (with a factor) signed in on two devices; Bob (without) on one. */
  async function people() {
    const alice = await registerUser(app);
    const aliceTablet = await loginUser(app);
    const bob = await registerUser(app, BOB);
    withFactor.add(alice.user.id);
    return { alice, aliceTablet, bob };
  }

  /** Each sensitive route, how to call it, and the status it answers when the sign-in is strong enough. */
  const SENSITIVE: [string, (token: string, other: TokenBody) => Promise<LightMyRequestResponse>, number][] =
    [
      [
        'POST /auth/password',
        (token) =>
          app.inject({
            method: 'POST',
            url: '/auth/password',
            headers: bearer(token),
            payload: { current_password: PASSWORD, new_password: NEW_PASSWORD },
          }),
        204,
      ],
      [
        'POST /auth/email/change',
        (token) =>
          app.inject({
            method: 'POST',
            url: '/auth/email/change',
            headers: bearer(token),
            payload: { new_email: 'alice.new@example.com', password: PASSWORD },
          }),
        202,
      ],
      [
        'POST /auth/logout scope=others',
        (token) =>
          app.inject({
            method: 'POST',
            url: '/auth/logout',
            headers: bearer(token),
            payload: { scope: 'others' },
          }),
        204,
      ],
      [
        'POST /auth/logout scope=global',
        (token) =>
          app.inject({
            method: 'POST',
            url: '/auth/logout',
            headers: bearer(token),
            payload: { scope: 'global' },
          }),
        204,
      ],
      [
        'DELETE /auth/sessions/:id of another session',
        (token, other) =>
          app.inject({
            method: 'DELETE',
            url: `/auth/sessions/${sidOf(other.access_token)}`,
            headers: bearer(token),
          }),
        204,
      ],
    ];

  /** What a refused request must not have changed: the password, and the other device's session. */
  async function expectNothingChanged(other: TokenBody): Promise<void> {
    expect((await loginUser(app)).user.email).toBe(EMAIL);
    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(other.access_token) });
    expect(me.statusCode).toBe(200);
    const sessions = await deps.stores.sessions.findById(sidOf(other.access_token));
    expect(sessions?.revokedAt).toBeNull();
  }

  it.each(SENSITIVE)(
    '%s: a single-factor token of a user with a factor gets the challenge',
    async (_name, send) => {
      await start();
      const { alice, aliceTablet } = await people();
      for (const token of [alice.access_token, withSignIn(alice.access_token, { acr: ACR_SINGLE_FACTOR })]) {
        const response = await send(token, aliceTablet);
        expectProblem(response, 401, 'insufficient_user_authentication');
        expect(response.headers['www-authenticate']).toContain(`${ACR_2FA_CHALLENGE}, max_age="600"`);
        expect(response.json().detail).toMatch(/stronger sign-in/);
      }
      await expectNothingChanged(aliceTablet);
    },
  );

  it.each(SENSITIVE)('%s: a recent two-factor sign-in passes', async (_name, send, ok) => {
    await start();
    const { alice, aliceTablet } = await people();
    deps.clock.advanceSeconds(300);
    const strong = withSignIn(alice.access_token, { acr: ACR_MULTI_FACTOR, auth_time: nowS() - 590 });
    expect((await send(strong, aliceTablet)).statusCode).toBe(ok);
  });

  it.each(SENSITIVE)('%s: an old two-factor sign-in gets max_age in the challenge', async (_name, send) => {
    await start();
    const { alice, aliceTablet } = await people();
    const old = withSignIn(alice.access_token, { acr: ACR_MULTI_FACTOR, auth_time: nowS() - 631 });
    const response = await send(old, aliceTablet);
    expectProblem(response, 401, 'insufficient_user_authentication');
    expect(response.headers['www-authenticate']).toMatch(/, max_age="600"$/);
    expect(response.json().detail).toMatch(/more recent sign-in/);
    await expectNothingChanged(aliceTablet);
  });

  it.each(SENSITIVE)('%s: a user without a second factor is not asked', async (_name, send, ok) => {
    await start();
    const { bob } = await people();
    const bobLaptop = await loginUser(app, BOB);
    expect((await send(bob.access_token, bobLaptop)).statusCode).toBe(ok);
  });

  it.each(SENSITIVE)('%s: without a FactorPresence wired, nobody has a factor', async (_name, send, ok) => {
    await start({}, false);
    const alice = await registerUser(app);
    const tablet = await loginUser(app);
    expect((await send(alice.access_token, tablet)).statusCode).toBe(ok);
  });

  it('leaves the non-sensitive variants alone: me, sessions, signing out this device, ending this session', async () => {
    await start();
    const { alice } = await people();
    const token = alice.access_token;
    expect((await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(token) })).statusCode).toBe(
      200,
    );
    expect(
      (await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(token) })).statusCode,
    ).toBe(200);
    const own = await app.inject({
      method: 'DELETE',
      url: `/auth/sessions/${sidOf(token)}`,
      headers: bearer(token),
    });
    expect(own.statusCode).toBe(204);
    const another = await loginUser(app);
    for (const payload of [undefined, { scope: 'local' }]) {
      const fresh = payload === undefined ? another : await loginUser(app);
      const response = await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: bearer(fresh.access_token),
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode).toBe(204);
    }
  });

  it('takes the window from TESSERA_STEP_UP_MAX_AGE', async () => {
    await start({ stepUpMaxAgeSeconds: 120 });
    const { alice, aliceTablet } = await people();
    const twoMinutesAgo = withSignIn(alice.access_token, { acr: ACR_MULTI_FACTOR, auth_time: nowS() - 151 });
    const response = await SENSITIVE[0]![1](twoMinutesAgo, aliceTablet);
    expectProblem(response, 401, 'insufficient_user_authentication');
    expect(response.headers['www-authenticate']).toContain('max_age="120"');
  });

  it('counts a stateful session as a single-factor sign-in', async () => {
    await start();
    const { alice } = await people();
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login?mode=session',
      payload: { email: EMAIL, password: PASSWORD },
    });
    const sessionToken = login.json<{ session_token: string }>().session_token;
    const response = await app.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(sessionToken),
      payload: { scope: 'others' },
    });
    expectProblem(response, 401, 'insufficient_user_authentication');
    expect(response.headers['www-authenticate']).toContain(ACR_2FA_CHALLENGE);
    expect((await deps.stores.sessions.findById(sidOf(alice.access_token)))?.revokedAt).toBeNull();
  });
});

describe('GET /api/step-up-demo', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  afterEach(async () => {
    await app.close();
  });

  it('asks everyone for a recent sign-in, and a two-factor one of users with a factor', async () => {
    const base = await createTestDeps();
    const factors = new Set<string>();
    deps = { ...base, factorPresence: { hasSecondFactor: async (id) => factors.has(id) } };
    app = await buildCheckedApp(deps);
    const demo = (token: string, query = '') =>
      app.inject({ method: 'GET', url: `/api/step-up-demo${query}`, headers: bearer(token) });

    const bob = await registerUser(app, BOB);
    expect((await demo(bob.access_token)).json()).toMatchObject({ sub: bob.user.id });
    deps.clock.advanceSeconds(91); // past 60 s + 30 s tolerance
    const stale = await demo(bob.access_token);
    expectProblem(stale, 401, 'insufficient_user_authentication');
    expect(stale.headers['www-authenticate']).toMatch(/error_description="[^"]+", max_age="60"$/);
    expect((await demo(bob.access_token, '?max_age=3600')).statusCode).toBe(200);
    const again = await loginUser(app, BOB);
    expect((await demo(again.access_token)).statusCode).toBe(200);

    const alice = await registerUser(app);
    factors.add(alice.user.id);
    const weak = await demo(alice.access_token);
    expectProblem(weak, 401, 'insufficient_user_authentication');
    expect(weak.headers['www-authenticate']).toContain(`${ACR_2FA_CHALLENGE}, max_age="60"`);
  });

  it.each(['abc', '-1', '10000', '01', ''])('refuses max_age=%s with 400', async (value) => {
    ({ app, deps } = await (async () => {
      const d = await createTestDeps();
      return { deps: d, app: await buildCheckedApp(d) };
    })());
    const bob = await registerUser(app, BOB);
    const response = await app.inject({
      method: 'GET',
      url: `/api/step-up-demo?max_age=${value}`,
      headers: bearer(bob.access_token),
    });
    expectProblem(response, 400, 'invalid_request');
  });
});
