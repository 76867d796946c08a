import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACR_MULTI_FACTOR, ACR_SINGLE_FACTOR } from '../../src/wire/authentication-strength.js';
import { toNumericDate } from '../../src/platform/clock.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, bearer, expectProblem, postLogin, postRefresh, registerUser } from './http-kit.js';
import { claimsOf } from './oauth-kit.js';
import { codeAt, enrolAndConfirm, nextStep, postVerify, startSignIn, type Enrolled } from './mfa-kit.js';

describe('two-step sign-in (POST /auth/login → POST /auth/mfa/verify)', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let enrolled: Enrolled;
  let userId: string;

  async function start(config: Parameters<typeof createTestApp>[0] = {}): Promise<void> {
    ({ app, deps } = await createTestApp(config));
    const registered = await registerUser(app);
    userId = registered.user.id;
    enrolled = await enrolAndConfirm(app, deps, registered.access_token);
  }

  beforeEach(() => start());
  afterEach(() => app.close());

  const sessionCount = async () =>
    (await deps.stores.sessions.listActiveForUser(userId, deps.clock.now())).length;

  it('answers the password with mfa_required, a ticket and the methods, and opens no session', async () => {
    const before = await sessionCount();
    const response = await postLogin(app);
    expect(response.statusCode).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    const body = response.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      code: 'mfa_required',
      status: 401,
      methods: ['totp', 'recovery_code'],
      expires_in: 300,
    });
    expect(body.mfa_ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).not.toHaveProperty('access_token');
    expect(await sessionCount()).toBe(before);
  });

  it('still refuses a wrong password with invalid_credentials, without a ticket', async () => {
    const response = await postLogin(app, EMAIL, 'wrong password here');
    expectProblem(response, 401, 'invalid_credentials');
  });

  it('completes with the code: a token pair whose tokens say pwd + otp, 2fa, proven now; refresh keeps it', async () => {
    const ticket = await startSignIn(app);
    deps.clock.advanceSeconds(7);
    const response = await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) });
    expect(response.statusCode, response.body).toBe(200);
    const pair = response.json<{ access_token: string; refresh_token: string; user: { id: string } }>();
    expect(pair.user.id).toBe(userId);
    const claims = claimsOf(pair.access_token);
    expect(claims).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: ACR_MULTI_FACTOR,
      auth_time: toNumericDate(deps.clock.now()),
    });
    const provenAt = claims.auth_time;
    deps.clock.advanceSeconds(120);
    const refreshed = await postRefresh(app, pair.refresh_token);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(claimsOf(refreshed.json<{ access_token: string }>().access_token)).toMatchObject({
      amr: ['pwd', 'otp', 'mfa'],
      acr: ACR_MULTI_FACTOR,
      auth_time: provenAt,
    });
    const me = await app.inject({ url: '/auth/me', headers: bearer(pair.access_token) });
    expect(me.statusCode).toBe(200);
  });

  it('accepts the previous and the next step’s code (±1), and not two steps away', async () => {
    for (const [offset, status] of [
      [-1, 200],
      [1, 200],
      [2, 401],
      [-2, 401],
    ] as const) {
      nextStep(deps);
      const ticket = await startSignIn(app);
      const response = await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret, offset) });
      expect(response.statusCode, `offset ${offset}`).toBe(status);
      // ±1 consumed a later step; move past it so the next round's codes are fresh.
      nextStep(deps);
      nextStep(deps);
    }
  });

  it('refuses a code accepted once (replay), even within its step, with mfa_code_reused', async () => {
    const code = codeAt(deps, enrolled.secret);
    const first = await postVerify(app, { ticket: await startSignIn(app), code });
    expect(first.statusCode).toBe(200);
    const replay = await postVerify(app, { ticket: await startSignIn(app), code });
    expectProblem(replay, 401, 'mfa_code_reused');
  });

  it('lets only one of two concurrent answers with the same code through', async () => {
    const code = codeAt(deps, enrolled.secret);
    const [a, b] = await Promise.all([startSignIn(app), startSignIn(app)]);
    const answers = await Promise.all([
      postVerify(app, { ticket: a, code }),
      postVerify(app, { ticket: b, code }),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('uses a ticket once', async () => {
    const ticket = await startSignIn(app);
    expect((await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) })).statusCode).toBe(200);
    nextStep(deps);
    expectProblem(
      await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) }),
      401,
      'mfa_ticket_invalid',
    );
  });

  it('kills the ticket after five wrong answers, and a wrong answer opens nothing', async () => {
    const ticket = await startSignIn(app);
    const before = await sessionCount();
    for (let i = 0; i < 4; i++)
      expectProblem(await postVerify(app, { ticket, code: '000000' }), 401, 'mfa_code_invalid');
    expect(await sessionCount()).toBe(before);
    expectProblem(await postVerify(app, { ticket, code: '000000' }), 401, 'mfa_code_invalid');
    expectProblem(
      await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) }),
      401,
      'mfa_ticket_invalid',
    );
    const failures = await deps.stores.audit.list({ userId, type: 'second_factor_failed' });
    expect(failures).toHaveLength(5);
  });

  it('lets the ticket expire after five minutes', async () => {
    const ticket = await startSignIn(app);
    deps.clock.advanceSeconds(301);
    expectProblem(
      await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) }),
      401,
      'mfa_ticket_invalid',
    );
  });

  it('answers malformed tickets and codes with 400 and their codes', async () => {
    const ticket = await startSignIn(app);
    expectProblem(await postVerify(app, { ticket: 'short', code: '123456' }), 400, 'mfa_ticket_malformed');
    expectProblem(await postVerify(app, { ticket, code: '12345' }), 400, 'mfa_code_malformed');
    expectProblem(await postVerify(app, { ticket, code: 'abcdef' }), 400, 'mfa_code_malformed');
    expectProblem(await postVerify(app, { ticket, recovery_code: 'not-a-code' }), 400, 'mfa_code_malformed');
    expectProblem(
      await postVerify(app, { ticket, code: '123456', recovery_code: 'x' }),
      400,
      'invalid_request',
    );
    expectProblem(await postVerify(app, { ticket }), 400, 'invalid_request');
    expectProblem(await postVerify(app, { ticket, code: '123456', extra: 1 }), 400, 'invalid_request');
    expectProblem(await postVerify(app, { ticket, code: 123456 }), 400, 'invalid_request');
    // Malformed input did not burn the ticket.
    expect((await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) })).statusCode).toBe(200);
  });

  it('accepts a recovery code once, in any case and grouping, and audits it', async () => {
    const code = enrolled.recoveryCodes[0]!;
    const sloppy = code.toUpperCase().replace(/-/g, ' ');
    const response = await postVerify(app, { ticket: await startSignIn(app), recovery_code: sloppy });
    expect(response.statusCode, response.body).toBe(200);
    expect(claimsOf(response.json<{ access_token: string }>().access_token)).toMatchObject({
      acr: ACR_MULTI_FACTOR,
    });
    expectProblem(
      await postVerify(app, { ticket: await startSignIn(app), recovery_code: code }),
      401,
      'mfa_code_invalid',
    );
    const used = await deps.stores.audit.list({ userId, type: 'recovery_code_used' });
    expect(used).toHaveLength(1);
    expect(used[0]!.detail).toEqual({ remaining: 9 });
  });

  it('counts wrong codes toward the account lockout', async () => {
    await app.close();
    await start({ config: { lockout: { threshold: 3, baseSeconds: 30, maxSeconds: 60 } } });
    const ticket = await startSignIn(app);
    for (let i = 0; i < 3; i++)
      expectProblem(await postVerify(app, { ticket, code: '000000' }), 401, 'mfa_code_invalid');
    const locked = await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) });
    expectProblem(locked, 429, 'account_locked');
    expect(await postLogin(app).then((r) => r.statusCode)).toBe(429);
  });

  it('rate-limits answers per IP', async () => {
    await app.close();
    await start({
      config: {
        rateLimits: {
          ...(await createTestApp()).deps.config.rateLimits,
          mfaPerIp: { max: 2, windowSeconds: 60 },
        },
      },
    });
    const ticket = await startSignIn(app);
    await postVerify(app, { ticket, code: '000000' });
    await postVerify(app, { ticket, code: '000000' });
    expectProblem(await postVerify(app, { ticket, code: '000000' }), 429, 'rate_limited');
  });

  it('gives a user without a confirmed factor tokens at once, at the single-factor level', async () => {
    const other = await registerUser(app, 'bob@example.com', PASSWORD);
    const response = await postLogin(app, 'bob@example.com', PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(claimsOf(response.json<{ access_token: string }>().access_token)).toMatchObject({
      amr: ['pwd'],
      acr: ACR_SINGLE_FACTOR,
    });
    // A pending enrolment is not a factor yet.
    await app.inject({ method: 'POST', url: '/auth/mfa/totp', headers: bearer(other.access_token) });
    expect((await postLogin(app, 'bob@example.com', PASSWORD)).statusCode).toBe(200);
  });
});
