/**
 * Every credential path refuses to issue tokens to a user with a second factor until the second step,
 * and the second step opens exactly the session the first asked for (JWT pair, cookie delivery,
 * stateful session, OAuth session of the same client and scope).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MFA_GRANT_TYPE } from '../../src/flows/oauth/token-grants.js';
import { ACR_MULTI_FACTOR } from '../../src/wire/authentication-strength.js';
import type { TestDeps } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, bearer, expectProblem, loginUser } from './http-kit.js';
import {
  basic,
  claimsOf,
  createOAuthApp,
  expectOAuthError,
  OTHER_SECRET,
  postForm,
  WEB_AUTH,
} from './oauth-kit.js';
import { codeAt, enrolAndConfirm, nextStep, postVerify, type Enrolled } from './mfa-kit.js';

describe('second factor on every credential path', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let enrolled: Enrolled;
  let userId: string;

  beforeEach(async () => {
    ({ app, deps } = await createOAuthApp());
    const signedIn = await loginUser(app);
    userId = signedIn.user.id;
    enrolled = await enrolAndConfirm(app, deps, signedIn.access_token);
  });
  afterEach(() => app.close());

  const sessions = async () =>
    (await deps.stores.sessions.listActiveForUser(userId, deps.clock.now())).length;
  const firstParty = (query: string) =>
    app.inject({ method: 'POST', url: `/auth/login${query}`, payload: { email: EMAIL, password: PASSWORD } });
  const passwordGrant = (auth = WEB_AUTH) =>
    postForm(
      app,
      '/oauth/token',
      { grant_type: 'password', username: EMAIL, password: PASSWORD, scope: 'billing:read' },
      auth,
    );

  function ticketOfProblem(response: LightMyRequestResponse): string {
    expect(response.statusCode, response.body).toBe(401);
    expect(response.headers['set-cookie']).toBeUndefined();
    const body = response.json<{ code: string; mfa_ticket: string }>();
    expect(body.code).toBe('mfa_required');
    expect(response.body).not.toMatch(/access_token|refresh_token|session_token/);
    return body.mfa_ticket;
  }

  it('issues nothing on any path without the second step', async () => {
    const before = await sessions();
    for (const query of [
      '',
      '?delivery=cookie',
      '?delivery=refresh_cookie',
      '?mode=session',
      '?mode=session&delivery=cookie',
    ]) {
      ticketOfProblem(await firstParty(query));
    }
    const grant = await passwordGrant();
    expect(grant.statusCode).toBe(403);
    expect(grant.headers['set-cookie']).toBeUndefined();
    expect(grant.json()).toEqual({
      error: 'mfa_required',
      error_description: expect.any(String),
      mfa_ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(await sessions()).toBe(before);
  });

  it('completes a cookie sign-in with cookies', async () => {
    const ticket = ticketOfProblem(await firstParty('?delivery=cookie'));
    const response = await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).not.toHaveProperty('access_token');
    const access = response.cookies.find((c) => c.name.endsWith('tessera_at'))?.value;
    expect(access).toBeDefined();
    expect(response.cookies.map((c) => c.name).join(' ')).toMatch(/tessera_rt/);
    expect(claimsOf(access!)).toMatchObject({ acr: ACR_MULTI_FACTOR });
  });

  it('completes a session-mode sign-in with a stateful session at the two-factor level', async () => {
    const ticket = ticketOfProblem(await firstParty('?mode=session'));
    const response = await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<{ session_token: string }>();
    expect(body.session_token).toMatch(/\./);
    const session = await deps.stores.sessions.findById(body.session_token.split('.')[0]!);
    expect(session).toMatchObject({ kind: 'session', acr: ACR_MULTI_FACTOR, amr: ['pwd', 'otp', 'mfa'] });
    expect((await app.inject({ url: '/auth/me', headers: bearer(body.session_token) })).statusCode).toBe(200);
  });

  describe('the OAuth password grant', () => {
    it('completes with the MFA grant of the same client, bound to the client and scope', async () => {
      const ticket = (await passwordGrant()).json<{ mfa_ticket: string }>().mfa_ticket;
      // Neither the first-party endpoint nor another client may complete it.
      expectProblem(
        await postVerify(app, { ticket, code: codeAt(deps, enrolled.secret) }),
        401,
        'mfa_ticket_invalid',
      );
      const otherClient = await postForm(app, '/oauth/token', {
        grant_type: MFA_GRANT_TYPE,
        client_id: 'mobile',
        mfa_ticket: ticket,
        otp: codeAt(deps, enrolled.secret),
      });
      expectOAuthError(otherClient, 'invalid_grant');
      expectOAuthError(
        await postForm(
          app,
          '/oauth/token',
          { grant_type: MFA_GRANT_TYPE, mfa_ticket: ticket, otp: codeAt(deps, enrolled.secret) },
          basic('other', OTHER_SECRET),
        ),
        'invalid_grant',
      );
      const response = await postForm(
        app,
        '/oauth/token',
        { grant_type: MFA_GRANT_TYPE, mfa_ticket: ticket, otp: codeAt(deps, enrolled.secret) },
        WEB_AUTH,
      );
      expect(response.statusCode, response.body).toBe(200);
      const tokens = response.json<{ access_token: string; scope: string; refresh_token: string }>();
      expect(tokens.scope).toBe('billing:read');
      expect(claimsOf(tokens.access_token)).toMatchObject({
        client_id: 'web',
        acr: ACR_MULTI_FACTOR,
        amr: ['pwd', 'otp', 'mfa'],
      });
      nextStep(deps);
    });

    it('answers wrong, replayed and malformed answers as RFC 6749 errors', async () => {
      const ticket = (await passwordGrant()).json<{ mfa_ticket: string }>().mfa_ticket;
      const grant = (params: Record<string, string>) =>
        postForm(app, '/oauth/token', { grant_type: MFA_GRANT_TYPE, ...params }, WEB_AUTH);
      expectOAuthError(await grant({ mfa_ticket: ticket, otp: '000000' }), 'invalid_grant');
      expectOAuthError(await grant({ mfa_ticket: ticket, otp: 'abc' }), 'invalid_request');
      expectOAuthError(await grant({ mfa_ticket: 'short', otp: '123456' }), 'invalid_request');
      expectOAuthError(await grant({ mfa_ticket: ticket }), 'invalid_request');
      expectOAuthError(
        await grant({ mfa_ticket: ticket, otp: '123456', recovery_code: enrolled.recoveryCodes[0]! }),
        'invalid_request',
      );
      expect(
        (await grant({ mfa_ticket: ticket, recovery_code: enrolled.recoveryCodes[0]! })).statusCode,
      ).toBe(200);
      expectOAuthError(
        await grant({ mfa_ticket: ticket, recovery_code: enrolled.recoveryCodes[1]! }),
        'invalid_grant',
      );
    });

    it('refuses the MFA grant to a client not allowed the password grant', async () => {
      const response = await postForm(app, '/oauth/token', {
        grant_type: MFA_GRANT_TYPE,
        client_id: 'refresher',
        mfa_ticket: 'x'.repeat(43),
        otp: '123456',
      });
      expectOAuthError(response, 'unauthorized_client');
    });
  });
});
