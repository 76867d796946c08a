import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { bearer, expectProblem, postLogin, registerUser } from './http-kit.js';
import {
  codeAt,
  enrolAndConfirm,
  enrolTotp,
  nextStep,
  postVerify,
  signInWithTotp,
  startSignIn,
} from './mfa-kit.js';

describe('managing second factors (/auth/mfa)', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let token: string;
  let userId: string;

  beforeEach(async () => {
    ({ app, deps } = await createTestApp());
    const registered = await registerUser(app);
    token = registered.access_token;
    userId = registered.user.id;
  });
  afterEach(() => app.close());

  const list = async (accessToken = token) =>
    (await app.inject({ url: '/auth/mfa', headers: bearer(accessToken) })).json<{
      factors: Array<{ id: string; confirmed_at: string | null }>;
      recovery_codes_remaining: number;
    }>();

  it('enrols with an otpauth URI and an SVG QR code; the factor waits for its first code', async () => {
    const { body, secret, factorId } = await enrolTotp(app, token);
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(body.otpauth_uri).toBe(
      `otpauth://totp/Tessera:alice%40example.com?secret=${secret}&issuer=Tessera&algorithm=SHA1&digits=6&period=30`,
    );
    expect(body.qr_svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(await list()).toEqual({
      factors: [
        expect.objectContaining({
          id: factorId,
          kind: 'totp',
          label: 'Authenticator app',
          confirmed_at: null,
        }),
      ],
      recovery_codes_remaining: 0,
    });
  });

  it('seals the secret at rest when a master key is set', async () => {
    await app.close();
    ({ app, deps } = await createTestApp({ config: { masterKey: 'a'.repeat(64) } }));
    token = (await registerUser(app)).access_token;
    const { secret, factorId } = await enrolTotp(app, token);
    const stored = await deps.stores.secondFactors.findById(factorId);
    expect(stored?.secret).toMatch(/^tessera-sealed\.v1\./);
    expect(stored?.secret).not.toContain(secret);
    const confirm = await app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/confirm',
      headers: bearer(token),
      payload: { code: codeAt(deps, secret) },
    });
    expect(confirm.statusCode).toBe(200);
  });

  it('confirms with the first valid code and returns ten recovery codes once', async () => {
    const { secret } = await enrolTotp(app, token);
    const wrong = await app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/confirm',
      headers: bearer(token),
      payload: { code: '000000' },
    });
    expectProblem(wrong, 401, 'mfa_code_invalid');
    const malformed = await app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/confirm',
      headers: bearer(token),
      payload: { code: '12' },
    });
    expectProblem(malformed, 400, 'mfa_code_malformed');
    expect((await list()).factors[0]?.confirmed_at).toBeNull();
    const code = codeAt(deps, secret);
    const confirm = await app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/confirm',
      headers: bearer(token),
      payload: { code },
    });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const codes = confirm.json<{ recovery_codes: string[] }>().recovery_codes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^([a-z2-7]{4}-){7}[a-z2-7]{4}$/);
    expect((await list()).recovery_codes_remaining).toBe(10);
    const audit = await deps.stores.audit.list({ userId, type: 'factor_added' });
    expect(audit).toHaveLength(1);
    // No second enrolment while one is active; nothing left to confirm.
    expectProblem(
      await app.inject({ method: 'POST', url: '/auth/mfa/totp', headers: bearer(token) }),
      409,
      'mfa_already_enrolled',
    );
    const again = await app.inject({
      method: 'POST',
      url: '/auth/mfa/totp/confirm',
      headers: bearer(token),
      payload: { code },
    });
    expectProblem(again, 404, 'mfa_enrolment_not_found');
  });

  it('requires a signed-in user for every management route', async () => {
    for (const [method, url] of [
      ['GET', '/auth/mfa'],
      ['POST', '/auth/mfa/totp'],
      ['POST', '/auth/mfa/recovery-codes'],
      ['DELETE', '/auth/mfa/factors/abc'],
    ] as const) {
      expectProblem(await app.inject({ method, url }), 401, 'unauthenticated');
    }
  });

  it('removes a factor only after a recent two-factor sign-in', async () => {
    const enrolled = await enrolAndConfirm(app, deps, token);
    const removeWith = (accessToken: string, id = enrolled.factorId) =>
      app.inject({ method: 'DELETE', url: `/auth/mfa/factors/${id}`, headers: bearer(accessToken) });
    // The session that enrolled signed in with a password only.
    expectProblem(await removeWith(token), 401, 'insufficient_user_authentication');
    const strong = await signInWithTotp(app, deps, enrolled.secret);
    deps.clock.advanceSeconds(601);
    expectProblem(await removeWith(strong.access_token), 401, 'insufficient_user_authentication');
    expect((await list()).factors).toHaveLength(1);
    const fresh = await signInWithTotp(app, deps, enrolled.secret);
    expectProblem(await removeWith(fresh.access_token, 'no-such-factor'), 404, 'factor_not_found');
    const removed = await removeWith(fresh.access_token);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await list(fresh.access_token)).toEqual({ factors: [], recovery_codes_remaining: 0 });
    expect(await deps.stores.audit.list({ userId, type: 'factor_removed' })).toHaveLength(1);
    // The password alone signs in again.
    expect((await postLogin(app)).statusCode).toBe(200);
  });

  it('removes an abandoned enrolment without a second factor', async () => {
    const { factorId } = await enrolTotp(app, token);
    const response = await app.inject({
      method: 'DELETE',
      url: `/auth/mfa/factors/${factorId}`,
      headers: bearer(token),
    });
    expect(response.statusCode).toBe(204);
    expect((await list()).factors).toEqual([]);
  });

  it('does not let one user remove another’s factor', async () => {
    const enrolled = await enrolAndConfirm(app, deps, token);
    const bob = await registerUser(app, 'bob@example.com');
    const response = await app.inject({
      method: 'DELETE',
      url: `/auth/mfa/factors/${enrolled.factorId}`,
      headers: bearer(bob.access_token),
    });
    expectProblem(response, 404, 'factor_not_found');
    expect(await deps.stores.secondFactors.findById(enrolled.factorId)).toBeDefined();
  });

  it('regenerates recovery codes after a recent two-factor sign-in; the old ones stop working', async () => {
    expectProblem(
      await app.inject({ method: 'POST', url: '/auth/mfa/recovery-codes', headers: bearer(token) }),
      404,
      'factor_not_found',
    );
    const enrolled = await enrolAndConfirm(app, deps, token);
    const regenerate = (accessToken: string) =>
      app.inject({ method: 'POST', url: '/auth/mfa/recovery-codes', headers: bearer(accessToken) });
    expectProblem(await regenerate(token), 401, 'insufficient_user_authentication');
    const strong = await signInWithTotp(app, deps, enrolled.secret);
    const response = await regenerate(strong.access_token);
    expect(response.statusCode).toBe(200);
    const fresh = response.json<{ recovery_codes: string[] }>().recovery_codes;
    expect(fresh).toHaveLength(10);
    expect(fresh).not.toContain(enrolled.recoveryCodes[0]);
    expectProblem(
      await postVerify(app, { ticket: await startSignIn(app), recovery_code: enrolled.recoveryCodes[0] }),
      401,
      'mfa_code_invalid',
    );
    expect(
      (await postVerify(app, { ticket: await startSignIn(app), recovery_code: fresh[0] })).statusCode,
    ).toBe(200);
    expect(await deps.stores.audit.list({ userId, type: 'recovery_codes_regenerated' })).toHaveLength(1);
    nextStep(deps);
  });
});
