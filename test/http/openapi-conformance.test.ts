/**
 * The conformance check that every HTTP and e2e test runs on the responses it receives
 * (test/helpers/openapi-conformance*.ts) must catch a drift: each way a response can be wrong is
 * caught, and a wrapped app throws at the call and records the violation.
 * @see issue #10 (part 4)
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/build-app.js';
import { statusResponse } from '../../src/http/schemas.js';
import { createConformanceChecker, type Exchange } from '../helpers/openapi-conformance.js';
import {
  checkAppResponses,
  OpenApiDriftError,
  takeViolations,
} from '../helpers/openapi-conformance-recorder.js';
import { createTestApp, createTestDeps } from '../helpers/test-deps.js';

type Json = Record<string, unknown>;

const PROBLEM = 'application/problem+json; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

const problem = (status: number, code: string, instance = '/auth/me') =>
  JSON.stringify({ type: `/problems/${code}`, title: 'T', status, detail: 'D', instance, code });

const user = {
  id: 'u1',
  email: 'a@example.com',
  name: null,
  roles: [],
  email_verified: false,
  created_at: '2026-01-01T00:00:00.000Z',
};

describe('the OpenAPI conformance check', () => {
  let app: FastifyInstance;
  let document: Json;
  let check: (exchange: Exchange) => string[];

  beforeAll(async () => {
    ({ app } = await createTestApp());
    document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Json>();
    check = createConformanceChecker(document);
  });
  afterAll(async () => {
    await app.close();
  });

  const exchange = (overrides: Partial<Exchange>): Exchange => ({
    method: 'GET',
    url: '/auth/me',
    status: 200,
    headers: { 'content-type': JSON_TYPE },
    body: JSON.stringify({ user }),
    ...overrides,
  });

  it('passes responses that match the document', () => {
    expect(check(exchange({}))).toEqual([]);
    expect(
      check(
        exchange({
          status: 401,
          headers: { 'content-type': PROBLEM, 'www-authenticate': 'Bearer realm="tessera"' },
          body: problem(401, 'unauthenticated'),
        }),
      ),
    ).toEqual([]);
    // A path parameter matches its template; a static path never matches the template next to it.
    expect(check(exchange({ method: 'DELETE', url: '/auth/sessions/abc', status: 204, body: '' }))).toEqual(
      [],
    );
  });

  it.each<[string, Partial<Exchange>, RegExp]>([
    ['an undeclared status', { status: 418 }, /status not declared/],
    ['an undeclared content type', { headers: { 'content-type': 'text/html' } }, /content type "text\/html"/],
    ['a body that is not JSON', { body: '{"user":' }, /not JSON/],
    ['a missing required member', { body: JSON.stringify({}) }, /must have required property 'user'/],
    [
      'an undeclared member',
      { body: JSON.stringify({ user: { ...user, password_hash: 'x' } }) },
      /must NOT have additional properties/,
    ],
    [
      'a member of the wrong type',
      { body: JSON.stringify({ user: { ...user, roles: 'admin' } }) },
      /must be array/,
    ],
    [
      'a 401 without its challenge',
      { status: 401, headers: { 'content-type': PROBLEM }, body: problem(401, 'unauthenticated') },
      /required header www-authenticate is missing/,
    ],
    [
      'a challenge of the wrong form',
      {
        status: 401,
        headers: { 'content-type': PROBLEM, 'www-authenticate': 'Basic realm="x"' },
        body: problem(401, 'unauthenticated'),
      },
      /header www-authenticate "Basic realm="x""/,
    ],
    [
      'a header sent where it is not declared',
      { headers: { 'content-type': JSON_TYPE, 'set-cookie': ['a=b'] } },
      /header set-cookie is sent but not declared/,
    ],
    [
      'a problem with an unknown code',
      { status: 404, headers: { 'content-type': PROBLEM }, body: problem(404, 'no_such_code') },
      /must be equal to one of the allowed values/,
    ],
    [
      'a body on an answer declared without one',
      { method: 'POST', url: '/auth/logout', status: 204, headers: {}, body: '{}' },
      /a body was sent where none is declared/,
    ],
  ])('catches %s', (_name, overrides, violation) => {
    const violations = check(exchange(overrides));
    expect(violations.join('\n')).toMatch(violation);
  });

  it('catches a 429 without Retry-After and a Retry-After that is not a number of seconds', () => {
    const limited = {
      method: 'POST',
      url: '/auth/login',
      status: 429,
      body: problem(429, 'rate_limited', '/auth/login'),
    };
    expect(check(exchange({ ...limited, headers: { 'content-type': PROBLEM } }))).toEqual([
      'POST /auth/login -> 429: required header retry-after is missing',
    ]);
    expect(
      check(exchange({ ...limited, headers: { 'content-type': PROBLEM, 'retry-after': 'soon' } })),
    ).toEqual([expect.stringMatching(/header retry-after "soon"/)]);
  });

  it('catches an OAuth endpoint answering problem+json instead of RFC 6749 JSON', () => {
    const answer = { method: 'POST', url: '/oauth/token', status: 400 };
    expect(
      check(
        exchange({
          ...answer,
          headers: { 'content-type': JSON_TYPE },
          body: JSON.stringify({ error: 'invalid_request', error_description: 'x' }),
        }),
      ),
    ).toEqual([]);
    expect(
      check(
        exchange({ ...answer, headers: { 'content-type': PROBLEM }, body: problem(400, 'invalid_request') }),
      ),
    ).toEqual([expect.stringMatching(/content type "application\/problem\+json" not declared/)]);
  });

  it('holds an answer outside every operation to the Problem shape when it is an error', () => {
    const unknown = { url: '/no/such/route', status: 404 };
    const notFound = problem(404, 'not_found', '/no/such/route');
    expect(check(exchange({ ...unknown, headers: { 'content-type': PROBLEM }, body: notFound }))).toEqual([]);
    const bare = JSON.stringify({ error: 'Not Found', message: 'Not Found', statusCode: 404 });
    expect(check(exchange({ ...unknown, body: bare }))).toEqual([
      expect.stringMatching(/no operation\) -> 404: content type "application\/json" not declared/),
    ]);
    // The console's page is no operation and no error; HEAD is Fastify's own.
    expect(
      check(exchange({ url: '/', headers: { 'content-type': 'text/html' }, body: '<!doctype html>' })),
    ).toEqual([]);
    expect(check(exchange({ method: 'HEAD', status: 599 }))).toEqual([]);
  });

  it('makes a wrapped app throw at the call that received a drifted answer, and records it', async () => {
    const paths = structuredClone(document.paths) as Record<string, Record<string, { responses: Json }>>;
    delete paths['/auth/me']!.get!.responses['401'];
    const deps = await createTestDeps();
    const drifted = checkAppResponses(await buildApp(deps), { ...document, paths });
    try {
      await expect(drifted.inject({ method: 'GET', url: '/auth/me' })).rejects.toThrow(OpenApiDriftError);
      expect(takeViolations()).toEqual([
        expect.stringMatching(/^GET \/auth\/me -> 401: status not declared/),
      ]);
      // Answers the document does declare still pass.
      expect((await drifted.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await drifted.close();
    }
  });

  it('catches a route whose answer drifts from its own declared schema', async () => {
    const deps = await createTestDeps();
    const raw = await buildApp(deps);
    // Registered after the collector, so it is documented: the schema says a string, it sends a number.
    raw.get('/drifting', { schema: { response: { 200: statusResponse } } }, async (_request, reply) =>
      reply.type('application/json').send('{"status":1}'),
    );
    await raw.ready();
    const drifting = checkAppResponses(raw);
    try {
      await expect(drifting.inject({ method: 'GET', url: '/drifting' })).rejects.toThrow(
        /\/status must be string/,
      );
      expect(takeViolations()).toHaveLength(1);
    } finally {
      await drifting.close();
    }
  });
});
