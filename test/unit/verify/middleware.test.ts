import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJwks } from '../../../src/keys/jwks.js';
import { createVerifier } from '../../../src/verify/create-verifier.js';
import {
  expressClaimsOf,
  expressRequireToken,
  type ExpressLikeRequest,
} from '../../../src/verify/express-middleware.js';
import {
  fastifyRequireToken,
  tesseraVerifyPlugin,
  tokenClaimsOf,
} from '../../../src/verify/fastify-plugin.js';
import { AUDIENCE, badTokens, EXPECTED_ANSWER, ISSUER, mint, newKey, testClock } from './verify-kit.js';

const clock = testClock();
const key = newKey('ES256', 'k1');
const verifier = createVerifier({
  keys: buildJwks([key]),
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ['ES256'],
  clock,
});
const now = clock.now();
const good = mint(key, now);
const admin = mint(key, now, { roles: ['user', 'admin'] });

interface Answer {
  status: number;
  challenge: string | undefined;
  body: Record<string, unknown>;
}

/** The same requests against each framework; each case says what must come back. */
const CASES: [string, string, Record<string, string>, string][] = [
  ...badTokens(key, now).map(([name, token, code]): [string, string, Record<string, string>, string] => [
    name,
    '/data',
    { authorization: `Bearer ${token}` },
    code,
  ]),
  ['no Authorization header', '/data', {}, 'unauthenticated'],
  ['another scheme (Basic)', '/data', { authorization: 'Basic dXNlcjpwYXNz' }, 'unauthenticated'],
  ['Bearer without a token', '/data', { authorization: 'Bearer ' }, 'invalid_request'],
  ['Bearer with two tokens', '/data', { authorization: `Bearer ${good} ${good}` }, 'invalid_request'],
  [
    'Bearer with a character outside b64token',
    '/data',
    { authorization: 'Bearer abc"def' },
    'invalid_request',
  ],
  ['a user token on the admin route', '/admin', { authorization: `Bearer ${good}` }, 'insufficient_scope'],
  [
    'a token without the scope the route asks for',
    '/delete',
    { authorization: `Bearer ${admin}` },
    'insufficient_scope',
  ],
];

function expectRefusal(answer: Answer, code: string): void {
  const expected = EXPECTED_ANSWER[code]!;
  expect(answer.status).toBe(expected.status);
  expect(answer.body).toMatchObject({ code, status: expected.status, type: `/problems/${code}` });
  expect(typeof answer.body.detail).toBe('string');
  if (expected.bearerError === null) expect(answer.challenge).toBe('Bearer realm="api"');
  else
    expect(answer.challenge).toMatch(
      new RegExp(`^Bearer realm="api", error="${expected.bearerError}", error_description="[^"\\\\]+"$`),
    );
}

describe('Fastify plugin', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    await app.register(async (scope) => {
      await scope.register(tesseraVerifyPlugin, { verifier });
      scope.get('/data', async (request) => ({ sub: tokenClaimsOf(request).sub }));
      scope.get('/admin', { preHandler: fastifyRequireToken(verifier, { roles: ['admin'] }) }, async () => ({
        ok: true,
      }));
      scope.get(
        '/delete',
        { preHandler: fastifyRequireToken(verifier, { scopes: ['delete'] }) },
        async () => ({ ok: true }),
      );
    });
    app.get('/public', async () => ({ open: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  const call = async (url: string, headers: Record<string, string>): Promise<Answer> => {
    const response = await app.inject({ method: 'GET', url, headers });
    return {
      status: response.statusCode,
      challenge: response.headers['www-authenticate'] as string | undefined,
      body: response.json<Record<string, unknown>>(),
    };
  };

  it('lets a good token through with its claims, and an admin token onto the admin route', async () => {
    expect(await call('/data', { authorization: `Bearer ${good}` })).toMatchObject({
      status: 200,
      body: { sub: 'user-1' },
    });
    expect((await call('/admin', { authorization: `Bearer ${admin}` })).status).toBe(200);
  });

  it('protects only the scope it was registered in', async () => {
    expect((await call('/public', {})).status).toBe(200);
  });

  it.each(CASES)('answers RFC 6750 to %s', async (_name, url, headers, code) => {
    expectRefusal(await call(url, headers), code);
  });

  it('answers problem+json, uncached', async () => {
    const response = await app.inject({ method: 'GET', url: '/data' });
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['cache-control']).toBe('no-store');
  });
});

describe('Express middleware (a real app on 127.0.0.1)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.get('/data', expressRequireToken(verifier), (req, res) => {
      res.json({ sub: expressClaimsOf(req).sub, sameOnReqAuth: (req as ExpressLikeRequest).auth?.sub });
    });
    // A route the middleware does not guard: expressClaimsOf is a wiring mistake there, never claims.
    app.get('/unguarded', (req, res) => {
      try {
        res.json({ sub: expressClaimsOf(req).sub });
      } catch (error) {
        res.status(500).json({ wiring: (error as Error).message });
      }
    });
    app.get('/admin', expressRequireToken(verifier, { roles: ['admin'] }), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/delete', expressRequireToken(verifier, { scopes: ['delete'] }), (_req, res) => {
      res.json({ ok: true });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const call = async (url: string, headers: Record<string, string>): Promise<Answer> => {
    const response = await fetch(`${base}${url}`, { headers });
    return {
      status: response.status,
      challenge: response.headers.get('www-authenticate') ?? undefined,
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('lets a good token through with its claims on req.auth (and expressClaimsOf)', async () => {
    expect(await call('/data', { authorization: `Bearer ${good}` })).toMatchObject({
      status: 200,
      body: { sub: 'user-1', sameOnReqAuth: 'user-1' },
    });
    expect((await call('/admin', { authorization: `Bearer ${admin}` })).status).toBe(200);
    expect(await call('/unguarded', { authorization: `Bearer ${good}` })).toMatchObject({
      status: 500,
      body: { wiring: expect.stringMatching(/not protected by expressRequireToken/) },
    });
  });

  it.each(CASES)('answers RFC 6750 to %s', async (_name, url, headers, code) => {
    expectRefusal(await call(url, headers), code);
  });
});
