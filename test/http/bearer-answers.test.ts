/**
 * One table, three targets: the Tessera server (buildApp().inject), tessera/verify's Fastify plugin
 * (inject) and its Express middleware (a real app on 127.0.0.1) must give the same RFC 6750 answer to
 * the same request (decision 0022; the table in docs/errors.md).
 * @see issue 10, part 3
 */
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJwks } from '../../src/keys/jwks.js';
import { createVerifier } from '../../src/verify/create-verifier.js';
import { expressRequireToken } from '../../src/verify/express-middleware.js';
import { fastifyRequireToken, tesseraVerifyPlugin } from '../../src/verify/fastify-plugin.js';
import { createTestApp } from '../helpers/test-deps.js';
import { AUDIENCE, ISSUER, mint, newKey, testClock } from '../unit/verify/verify-kit.js';
import { registerUser } from './http-kit.js';

type Headers = Record<string, string | string[]>;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Record<string, unknown>;
}

interface Target {
  realm: string;
  /** A token the target accepts, carrying the role `user` but not `admin`. */
  token: string;
  call(path: string, headers: Headers): Promise<Answer>;
}

interface Row {
  name: string;
  path: (token: string) => string;
  headers: (token: string) => Headers;
  status: number;
  code: string;
  /** The challenge's `error`; null = a bare `Bearer realm="…"`. */
  bearerError:
    'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_user_authentication' | null;
  detail?: RegExp;
  /** What the challenge carries after `error_description` (RFC 9470 parameters). */
  challengeTail?: string;
}

const secure = () => '/api/secure';
const bearer = (value: string) => (token: string) => ({ authorization: value.replace('$T', token) });

/** The token with another `kid` in its header (not re-signed): no key of the target matches it. */
function withUnknownKid(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  const changed = Buffer.from(JSON.stringify({ ...decoded, kid: 'no-such-kid' })).toString('base64url');
  return `${changed}.${payload}.${signature}`;
}

/** The token with the first character of its signature changed: canonical base64url, wrong signature. */
function withBadSignature(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
}

const ROWS: Row[] = [
  {
    name: 'no credentials',
    path: secure,
    headers: () => ({}),
    status: 401,
    code: 'unauthenticated',
    bearerError: null,
  },
  {
    name: 'the Basic scheme',
    path: secure,
    headers: bearer('Basic YWxpY2U6cGFzc3dvcmQ='),
    status: 401,
    code: 'unauthenticated',
    bearerError: null,
  },
  {
    name: 'a bare token without a scheme',
    path: secure,
    headers: bearer('$T'),
    status: 401,
    code: 'unauthenticated',
    bearerError: null,
  },
  {
    name: '"Bearer" with nothing after it',
    path: secure,
    headers: bearer('Bearer'),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /carries no token/,
  },
  {
    name: '"Bearer " and spaces only',
    path: secure,
    headers: bearer('Bearer   '),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /carries no token/,
  },
  {
    name: 'two tokens',
    path: secure,
    headers: bearer('Bearer $T $T'),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /b64token/,
  },
  {
    name: 'a character outside b64token',
    path: secure,
    headers: bearer('Bearer $T"'),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /b64token/,
  },
  {
    name: 'a comma in the token',
    path: secure,
    headers: bearer('Bearer a,b'),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /b64token/,
  },
  {
    name: 'padding inside the token',
    path: secure,
    headers: bearer('Bearer abc=def'),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /b64token/,
  },
  {
    name: 'two Authorization headers',
    path: secure,
    headers: (t) => ({ authorization: [`Bearer ${t}`, `Bearer ${t}`] }),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /exactly one Authorization header/,
  },
  {
    name: 'a token in the query string',
    path: (t) => `/api/secure?access_token=${t}`,
    headers: () => ({}),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /query string/,
  },
  {
    name: 'a token in the query string and in the header',
    path: () => '/api/secure?access_token=x',
    headers: bearer('Bearer $T'),
    status: 400,
    code: 'invalid_request',
    bearerError: 'invalid_request',
    detail: /query string/,
  },
  {
    name: 'a b64token that is not a JWT',
    path: secure,
    headers: bearer('Bearer abc'),
    status: 401,
    code: 'token_malformed',
    bearerError: 'invalid_token',
  },
  {
    name: 'a JWT naming an unknown key',
    path: secure,
    headers: (t) => ({ authorization: `Bearer ${withUnknownKid(t)}` }),
    status: 401,
    code: 'key_not_found',
    bearerError: 'invalid_token',
  },
  {
    name: 'a JWT with a wrong signature',
    path: secure,
    headers: (t) => ({ authorization: `Bearer ${withBadSignature(t)}` }),
    status: 401,
    code: 'token_signature_invalid',
    bearerError: 'invalid_token',
  },
  {
    name: 'a valid token without the role',
    path: () => '/api/admin',
    headers: bearer('Bearer $T'),
    status: 403,
    code: 'insufficient_scope',
    bearerError: 'insufficient_scope',
  },
  {
    // Every target's token comes from a sign-in 700 s ago; the route asks for one within 60 s.
    name: 'a valid token whose sign-in is too old for the route',
    path: () => '/api/step-up-demo',
    headers: bearer('Bearer $T'),
    status: 401,
    code: 'insufficient_user_authentication',
    bearerError: 'insufficient_user_authentication',
    detail: /more recent sign-in/,
    challengeTail: ', max_age="60"',
  },
];

function expectAnswer(target: Target, answer: Answer, row: Row): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(row.status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(answer.headers['cache-control']).toBe('no-store');
  expect(answer.body).toMatchObject({ type: `/problems/${row.code}`, status: row.status, code: row.code });
  expect(answer.body.detail).toEqual(expect.any(String));
  expect(answer.body.detail).not.toMatch(/must use the Bearer scheme/);
  if (row.detail) expect(answer.body.detail).toMatch(row.detail);
  const challenge = answer.headers['www-authenticate'];
  if (row.bearerError === null) expect(challenge).toBe(`Bearer realm="${target.realm}"`);
  else
    expect(challenge).toMatch(
      new RegExp(
        `^Bearer realm="${target.realm}", error="${row.bearerError}", error_description="[^"\\\\]+"${row.challengeTail ?? ''}$`,
      ),
    );
}

/** Runs the whole table against one target; a passing request first shows the token is good. */
function describeTarget(name: string, setUp: () => Promise<{ target: Target; close: () => Promise<void> }>) {
  describe(name, () => {
    let target: Target;
    let close: () => Promise<void>;
    beforeAll(async () => ({ target, close } = await setUp()));
    afterAll(() => close());

    it('lets the valid token through', async () => {
      const answer = await target.call('/api/secure', { authorization: `Bearer ${target.token}` });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.headers['www-authenticate']).toBeUndefined();
    });

    it.each(ROWS)('answers $status $code to $name', async (row) => {
      expectAnswer(target, await target.call(row.path(target.token), row.headers(target.token)), row);
    });
  });
}

describeTarget('the Tessera server', async () => {
  const { app, deps } = await createTestApp();
  const { access_token } = await registerUser(app);
  deps.clock.advanceSeconds(700); // the token stays valid (15 min), its sign-in gets old
  return { target: { realm: 'tessera', token: access_token, call: injector(app) }, close: () => app.close() };
});

const key = newKey('ES256', 'k1');
const clock = testClock();
const verifier = createVerifier({
  keys: buildJwks([key]),
  issuer: ISSUER,
  audience: AUDIENCE,
  algorithms: ['ES256'],
  clock,
});
// Signed in 700 s ago (auth_time), the token itself just issued.
const verifyToken = mint(key, clock.now(), { auth_time: Math.floor(clock.now().getTime() / 1000) - 700 });
const STEP_UP_DEMO = { maxAgeSeconds: 60 };

describeTarget('tessera/verify, Fastify plugin', async () => {
  const app = Fastify();
  await app.register(async (scope) => {
    await scope.register(tesseraVerifyPlugin, { verifier });
    scope.get('/api/secure', async () => ({ ok: true }));
    scope.get(
      '/api/admin',
      { preHandler: fastifyRequireToken(verifier, { roles: ['admin'] }) },
      async () => ({ ok: true }),
    );
    scope.get('/api/step-up-demo', { preHandler: fastifyRequireToken(verifier, STEP_UP_DEMO) }, async () => ({
      ok: true,
    }));
  });
  await app.ready();
  return { target: { realm: 'api', token: verifyToken, call: injector(app) }, close: () => app.close() };
});

describeTarget('tessera/verify, Express middleware on 127.0.0.1', async () => {
  const app = express();
  app.get('/api/secure', expressRequireToken(verifier), (_req, res) => void res.json({ ok: true }));
  app.get(
    '/api/admin',
    expressRequireToken(verifier, { roles: ['admin'] }),
    (_req, res) => void res.json({ ok: true }),
  );
  app.get(
    '/api/step-up-demo',
    expressRequireToken(verifier, STEP_UP_DEMO),
    (_req, res) => void res.json({ ok: true }),
  );
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return {
    target: { realm: 'api', token: verifyToken, call: (path, headers) => send(port, path, headers) },
    close,
  };
});

function injector(app: FastifyInstance): Target['call'] {
  return async (path, headers) => {
    const response = await app.inject({ method: 'GET', url: path, headers });
    return { status: response.statusCode, headers: response.headers, body: response.json() };
  };
}

/** node:http rather than fetch: an array value goes out as two header lines, not one joined value. */
function send(port: number, path: string, headers: Headers): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, path, headers, method: 'GET' }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        });
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
