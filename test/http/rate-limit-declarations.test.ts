/**
 * Rate limits are route options (`config.rateLimits`) applied by one hook in Tessera's scope: the
 * routes that declare them are limited, their OpenAPI operations list 429, and the hook runs after the
 * route's own checks (a malformed body or a failing OAuth client is answered, never counted).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/types.js';
import { createTestApp } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD } from './http-kit.js';
import { basic, createOAuthApp, expectOAuthError, postForm, WEB_AUTH } from './oauth-kit.js';

const ONE_PER_MINUTE = { max: 1, windowSeconds: 60 };
const LIMITED = [
  'POST /auth/email/change',
  'POST /auth/email/change/confirm',
  'POST /auth/email/verify',
  'POST /auth/email/verify/resend',
  'POST /auth/login',
  'POST /auth/mfa/totp/confirm',
  'POST /auth/mfa/verify',
  'POST /auth/passkeys/sign-in',
  'POST /auth/passkeys/sign-in/options',
  'POST /auth/password/forgot',
  'POST /auth/password/reset',
  'POST /auth/refresh',
  'POST /auth/register',
  'POST /oauth/token',
];

type Operation = { responses: Record<string, unknown> };

describe('rate limits declared in route options', () => {
  const apps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('the OpenAPI document lists 429 for the routes that declare rate limits (and the lockout)', async () => {
    const { app } = await createTestApp();
    apps.push(app);
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const with429 = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => '429' in operation.responses)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    // POST /auth/password declares its 429 itself: wrong current passwords lock the account.
    expect(with429.sort()).toEqual([...LIMITED, 'POST /auth/password'].sort());
  });

  it('a request refused by validation is not counted', async () => {
    const limits: Partial<Config> = { rateLimits: { ...(await defaults()), loginPerIp: ONE_PER_MINUTE } };
    const { app } = await createTestApp({ config: limits });
    apps.push(app);
    const bad = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'x' } });
    expect(bad.statusCode).toBe(400);
    const first = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: EMAIL, password: PASSWORD },
    });
    expect(first.statusCode).not.toBe(429);
    const second = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: EMAIL, password: PASSWORD },
    });
    expect(second.statusCode).toBe(429);
  });

  it('/oauth/token authenticates the client before counting: a failing client gets 401, never 429', async () => {
    const { app, deps } = await createOAuthApp();
    apps.push(app);
    const { app: limited } = await createOAuthApp({
      rateLimits: { ...deps.config.rateLimits, loginPerIp: ONE_PER_MINUTE },
    });
    apps.push(limited);
    const grant = { grant_type: 'password', username: EMAIL, password: PASSWORD };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await postForm(limited, '/oauth/token', grant, basic('web', 'wrong-secret'));
      expectOAuthError(refused, 'invalid_client', 401);
    }
    expect((await postForm(limited, '/oauth/token', grant, WEB_AUTH)).statusCode).toBe(200);
    expectOAuthError(
      await postForm(limited, '/oauth/token', grant, WEB_AUTH),
      'temporarily_unavailable',
      429,
    );
  });

  it('/oauth/token counts each grant type against its own rule only', async () => {
    const { app, deps } = await createOAuthApp();
    apps.push(app);
    const { app: limited } = await createOAuthApp({
      rateLimits: { ...deps.config.rateLimits, refreshPerIp: ONE_PER_MINUTE },
    });
    apps.push(limited);
    const grant = { grant_type: 'password', username: EMAIL, password: PASSWORD };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await postForm(limited, '/oauth/token', grant, WEB_AUTH)).statusCode).toBe(200);
    }
  });
});

async function defaults(): Promise<Config['rateLimits']> {
  const { app, deps } = await createTestApp();
  await app.close();
  return deps.config.rateLimits;
}
