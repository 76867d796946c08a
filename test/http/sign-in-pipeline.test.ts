/**
 * Every HTTP path that turns a credential into a session goes through the one login pipeline
 * (src/flows/auth/sign-in.ts): a policy injected through deps sees each of them and, when it refuses,
 * every path is refused with no session opened. A future factor plugs in as such a policy, so no
 * path can skip it.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowError } from '../../src/flows/flow-error.js';
import type { SignInPolicy } from '../../src/flows/auth/sign-in-policy.js';
import type { SignInProof, SessionRequest } from '../../src/flows/auth/sign-in.js';
import { buildApp } from '../../src/http/build-app.js';
import { createTestDeps, type TestDeps } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, registerUser } from './http-kit.js';
import { CLIENTS, postForm, WEB_AUTH } from './oauth-kit.js';

const NEW_EMAIL = 'newcomer@example.com';
const LOOPBACK = { host: '127.0.0.1' };

interface SignInPath {
  name: string;
  /** The e-mail whose account the path signs in to. */
  email: string;
  proof: SignInProof['kind'];
  open: SessionRequest['kind'];
  send(app: FastifyInstance): Promise<LightMyRequestResponse>;
}

const json =
  (url: string, email: string, headers: Record<string, string> = {}) =>
  (app: FastifyInstance) =>
    app.inject({ method: 'POST', url, headers, payload: { email, password: PASSWORD } });

const PATHS: SignInPath[] = [
  { name: 'login, JWT mode', email: EMAIL, proof: 'password', open: 'jwt', send: json('/auth/login', EMAIL) },
  {
    name: 'login, session mode',
    email: EMAIL,
    proof: 'password',
    open: 'stateful',
    send: json('/auth/login?mode=session', EMAIL),
  },
  {
    name: 'login, cookie delivery',
    email: EMAIL,
    proof: 'password',
    open: 'jwt',
    send: json('/auth/login?delivery=cookie', EMAIL, LOOPBACK),
  },
  {
    name: 'register, JWT mode',
    email: NEW_EMAIL,
    proof: 'registered',
    open: 'jwt',
    send: json('/auth/register', NEW_EMAIL),
  },
  {
    name: 'register, session mode',
    email: NEW_EMAIL,
    proof: 'registered',
    open: 'stateful',
    send: json('/auth/register?mode=session', NEW_EMAIL),
  },
  {
    name: 'OAuth password grant',
    email: EMAIL,
    proof: 'password',
    open: 'oauth',
    send: (app) =>
      postForm(
        app,
        '/oauth/token',
        { grant_type: 'password', username: EMAIL, password: PASSWORD },
        WEB_AUTH,
      ),
  },
];

describe('the one login pipeline', () => {
  let app: FastifyInstance;
  let deps: TestDeps;
  let refusing: boolean;
  let seen: { proof: SignInProof['kind']; open: SessionRequest['kind']; email: string }[];

  const policy: SignInPolicy = {
    name: 'test_policy',
    async check(_deps, { user, attempt }) {
      seen.push({ proof: attempt.proof.kind, open: attempt.open.kind, email: user.email });
      if (refusing) throw new FlowError('account_disabled', 'Refused by the test policy.');
    },
  };

  beforeEach(async () => {
    refusing = false;
    seen = [];
    deps = await createTestDeps({ config: { oauthClients: CLIENTS } });
    app = await buildApp({ ...deps, signInPolicies: [policy] });
    await app.ready();
    await registerUser(app, EMAIL, PASSWORD);
    seen = [];
  });
  afterEach(async () => {
    await app.close();
  });

  async function sessionsOf(email: string): Promise<number> {
    const user = await deps.stores.users.findByEmail(email);
    if (user === undefined) return 0;
    return (await deps.stores.sessions.listActiveForUser(user.id, deps.clock.now())).length;
  }

  describe.each(PATHS)('$name', (path) => {
    it('runs the policies, with the proof and the session it asked for', async () => {
      const before = await sessionsOf(path.email);
      const response = await path.send(app);
      expect(response.statusCode, response.body).toBeLessThan(300);
      expect(seen).toEqual([{ proof: path.proof, open: path.open, email: path.email }]);
      expect(await sessionsOf(path.email)).toBe(before + 1);
    });

    it('is refused, with no session and no cookie, when a policy refuses', async () => {
      refusing = true;
      const before = await sessionsOf(path.email);
      const response = await path.send(app);
      expect(seen).toHaveLength(1);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      const body = response.json<{ code?: string; error?: string }>();
      expect(body.code ?? body.error).toBe(path.open === 'oauth' ? 'invalid_grant' : 'account_disabled');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(await sessionsOf(path.email)).toBe(before);
    });
  });

  it('runs the policies after the credential check: a wrong password never reaches them', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: EMAIL, password: 'wrong password here' },
    });
    expect(response.json<{ code: string }>().code).toBe('invalid_credentials');
    expect(seen).toEqual([]);
  });
});
