import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MailTemplateName } from '../../src/stores/mail-outbox.js';
import type { MemoryMailOutbox } from '../../src/stores/memory/memory-mail-outbox.js';
import { createTestApp, testConfig, type TestDeps } from '../helpers/test-deps.js';
import { bearer, EMAIL, expectProblem, PASSWORD, postLogin, registerUser } from './http-kit.js';
import { CLIENTS, postForm, WEB_AUTH } from './oauth-kit.js';

const NEW_PASSWORD = 'a brand new passphrase';

describe('account recovery routes', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  afterEach(async () => {
    await app.close();
  });

  const start = async (config: Parameters<typeof createTestApp>[0] = {}) => {
    ({ app, deps } = await createTestApp(config));
  };
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url, payload: payload as object, headers });
  const messages = (template: MailTemplateName) =>
    (deps.stores.mailOutbox as MemoryMailOutbox).messages.filter((mail) => mail.template === template);
  /** The token of the newest link of `template` sent to `to`, once it has been sent. */
  const linkToken = async (template: MailTemplateName, to: string): Promise<string> => {
    const mail = await vi.waitFor(() => {
      const found = messages(template)
        .filter((message) => message.to === to)
        .at(-1);
      if (found === undefined) throw new Error(`no ${template} mail to ${to} yet`);
      return found;
    });
    return new URL(mail.data['link'] ?? '').hash.split('token=')[1] ?? '';
  };

  it('forgot-password answers 202 with the same body for known and unknown addresses; only the known one gets a link', async () => {
    await start();
    await registerUser(app);
    const known = await post('/auth/password/forgot', { email: EMAIL });
    const unknown = await post('/auth/password/forgot', { email: 'nobody@example.com' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(unknown.headers['cache-control']).toBe('no-store');
    const token = await linkToken('password_reset', EMAIL);
    await app.close(); // waits for the work detached after the answers (closing again is harmless)
    expect(messages('password_reset').map((mail) => mail.to)).toEqual([EMAIL]);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
  });

  it('resets the password with the link: 204, old sessions refused, new password works, notice sent', async () => {
    await start();
    const { access_token: before, refresh_token: refreshToken } = await registerUser(app);
    await post('/auth/password/forgot', { email: EMAIL });
    const token = await linkToken('password_reset', EMAIL);
    const reset = await post('/auth/password/reset', { token, new_password: NEW_PASSWORD });
    expect(reset.statusCode, reset.body).toBe(204);
    expectProblem(await postLogin(app), 401, 'invalid_credentials');
    expect((await postLogin(app, EMAIL, NEW_PASSWORD)).statusCode).toBe(200);
    expect(messages('password_changed').map((mail) => mail.to)).toEqual([EMAIL]);
    // The old refresh family is revoked (the access token lives until exp unless strict mode is on).
    const refreshed = await post('/auth/refresh', { refresh_token: refreshToken });
    expect(refreshed.statusCode).toBe(401);
    const me = await app.inject({ method: 'GET', url: '/auth/me', headers: bearer(before) });
    expect(me.statusCode).toBe(200);
    expectProblem(
      await post('/auth/password/reset', { token, new_password: NEW_PASSWORD }),
      410,
      'link_used',
    );
  });

  it('answers each bad link with its own code, and never a 500', async () => {
    await start();
    await registerUser(app);
    const verification = await linkToken('verify_email', EMAIL);
    await post('/auth/password/forgot', { email: EMAIL });
    const reset = await linkToken('password_reset', EMAIL);
    const [id, secret = ''] = reset.split('.');
    const tampered = `${id}.${secret.slice(0, -2)}AA`;
    expectProblem(
      await post('/auth/password/reset', { token: tampered, new_password: NEW_PASSWORD }),
      400,
      'link_invalid',
    );
    expectProblem(
      await post('/auth/password/reset', { token: '../../etc', new_password: NEW_PASSWORD }),
      400,
      'link_invalid',
    );
    expectProblem(await post('/auth/email/verify', { token: reset }), 400, 'link_wrong_purpose');
    expectProblem(
      await post('/auth/password/reset', { token: verification, new_password: NEW_PASSWORD }),
      400,
      'link_wrong_purpose',
    );
    expectProblem(
      await post('/auth/password/reset', { token: reset, new_password: 'short' }),
      400,
      'weak_password',
    );
    // Oversized, missing, extra members and wrong types stop at the schema.
    for (const body of [
      { token: 'x'.repeat(257), new_password: NEW_PASSWORD },
      { new_password: NEW_PASSWORD },
      { token: reset, new_password: NEW_PASSWORD, email: EMAIL },
      { token: 42, new_password: NEW_PASSWORD },
    ]) {
      expectProblem(await post('/auth/password/reset', body), 400, 'invalid_request');
    }
    expectProblem(await post('/auth/email/verify', { token: reset, extra: 1 }), 400, 'invalid_request');
    expectProblem(await post('/auth/password/forgot', { email: 'not-an-address' }), 400, 'invalid_email');
    // None of it used the link up.
    expect(
      (await post('/auth/password/reset', { token: reset, new_password: NEW_PASSWORD })).statusCode,
    ).toBe(204);
    deps.clock.advanceSeconds(24 * 3600);
    expectProblem(await post('/auth/email/verify', { token: verification }), 410, 'link_expired');
  });

  it('verifies the address: email_verified in /auth/me and in new access tokens', async () => {
    await start();
    const { user } = await registerUser(app);
    expect(user).toMatchObject({ email_verified: false });
    const response = await post('/auth/email/verify', { token: await linkToken('verify_email', EMAIL) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ user: { email: EMAIL, email_verified: true } });
    const login = (await postLogin(app)).json<{ access_token: string; user: { email_verified: boolean } }>();
    expect(login.user.email_verified).toBe(true);
    const claims = deps.accessTokens.verify(login.access_token, deps.clock.now());
    expect(claims.email_verified).toBe(true);
  });

  it('resends verification with the same 202 for any address, and a new link voids the old one', async () => {
    await start();
    await registerUser(app);
    const first = await linkToken('verify_email', EMAIL);
    deps.clock.advanceSeconds(1);
    const known = await post('/auth/email/verify/resend', { email: EMAIL });
    const unknown = await post('/auth/email/verify/resend', { email: 'nobody@example.com' });
    expect([known.statusCode, unknown.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    await vi.waitFor(() => expect(messages('verify_email')).toHaveLength(2));
    expectProblem(await post('/auth/email/verify', { token: first }), 410, 'link_revoked');
  });

  it('limits forgot-password per address and per IP', async () => {
    await start({
      config: {
        rateLimits: {
          ...testConfig().rateLimits,
          recoveryPerAccount: { max: 2, windowSeconds: 60 },
          recoveryPerIp: { max: 3, windowSeconds: 60 },
        },
      },
    });
    expect((await post('/auth/password/forgot', { email: EMAIL })).statusCode).toBe(202);
    expect((await post('/auth/password/forgot', { email: ` ${EMAIL.toUpperCase()}` })).statusCode).toBe(202);
    expectProblem(await post('/auth/password/forgot', { email: EMAIL }), 429, 'rate_limited');
    expectProblem(await post('/auth/password/forgot', { email: 'other@example.com' }), 429, 'rate_limited');
  });

  it('changes the address after re-authentication and confirmation; a taken address is refused at confirmation', async () => {
    await start();
    const { access_token: access } = await registerUser(app);
    const change = (payload: object) => post('/auth/email/change', payload, bearer(access));
    expectProblem(
      await change({ new_email: 'new@example.com', password: 'wrong password' }),
      401,
      'invalid_credentials',
    );
    expectProblem(
      await post('/auth/email/change', { new_email: 'new@example.com', password: PASSWORD }),
      401,
      'unauthenticated',
    );
    const asked = await change({ new_email: 'new@example.com', password: PASSWORD });
    expect(asked.statusCode, asked.body).toBe(202);
    expect(messages('email_change_notice').map((mail) => mail.to)).toEqual([EMAIL]);
    const token = await linkToken('email_change_confirm', 'new@example.com');
    await registerUser(app, 'new@example.com');
    expectProblem(await post('/auth/email/change/confirm', { token }), 409, 'email_taken');

    await change({ new_email: 'newer@example.com', password: PASSWORD });
    const newer = await linkToken('email_change_confirm', 'newer@example.com');
    const confirmed = await post('/auth/email/change/confirm', { token: newer });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ user: { email: 'newer@example.com', email_verified: true } });
    expect((await postLogin(app, 'newer@example.com')).statusCode).toBe(200);
  });
});

describe('TESSERA_EMAIL_VERIFICATION=required', () => {
  let app: FastifyInstance;
  afterEach(async () => {
    await app.close();
  });

  it('registration answers 202 with the user and no tokens; every sign-in path refuses until verified', async () => {
    let deps: TestDeps;
    ({ app, deps } = await createTestApp({
      config: { emailVerification: 'required', oauthClients: CLIENTS },
    }));
    const registered = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: EMAIL, password: PASSWORD },
    });
    expect(registered.statusCode, registered.body).toBe(202);
    expect(Object.keys(registered.json())).toEqual(['user']);
    expect(registered.headers['set-cookie']).toBeUndefined();
    const session = await app.inject({
      method: 'POST',
      url: '/auth/register?mode=session',
      payload: { email: 'bob@example.com', password: PASSWORD },
    });
    expect(session.statusCode, session.body).toBe(202);

    const refused = (response: LightMyRequestResponse) => expectProblem(response, 403, 'email_not_verified');
    refused(await postLogin(app));
    refused(
      await app.inject({
        method: 'POST',
        url: '/auth/login?mode=session',
        payload: { email: EMAIL, password: PASSWORD },
      }),
    );
    const grant = await postForm(
      app,
      '/oauth/token',
      { grant_type: 'password', username: EMAIL, password: PASSWORD },
      WEB_AUTH,
    );
    expect(grant.statusCode).toBe(400);
    expect(grant.json()).toMatchObject({ error: 'invalid_grant' });
    expect(grant.json<{ error_description: string }>().error_description).toMatch(/e-mail/);

    const link =
      (deps.stores.mailOutbox as MemoryMailOutbox).messages.find((mail) => mail.to === EMAIL)?.data['link'] ??
      '';
    const token = new URL(link).hash.split('token=')[1] ?? '';
    expect(
      (await app.inject({ method: 'POST', url: '/auth/email/verify', payload: { token } })).statusCode,
    ).toBe(200);
    expect((await postLogin(app)).statusCode).toBe(200);
  });
});
