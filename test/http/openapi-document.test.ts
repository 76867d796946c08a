/**
 * What GET /openapi.json states beyond the routes' own schemas: the RFC 6749 error answers of the OAuth
 * endpoints, the configured password policy, the e-mail and cursor rules the flows enforce, the
 * response headers and the links between operations.
 * @see issue #10 (part 4)
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEmail } from '../../src/flows/auth/email-address.js';
import { createTestApp } from '../helpers/test-deps.js';
import { bearer, EMAIL, expectProblem, registerUser } from './http-kit.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
  security?: unknown[];
}
type Document = Json & { paths: Record<string, Record<string, Operation>>; components: Record<string, Json> };

async function documentOf(app: FastifyInstance): Promise<Document> {
  return (await app.inject({ method: 'GET', url: '/openapi.json' })).json<Document>();
}

/** A `$ref` followed to its target (one level is all the document uses). */
function follow(document: Document, value: Json): Json {
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  const [, , kind, name] = ref.split('/');
  return follow(document, (document.components[kind!] as Record<string, Json>)[name!]!);
}

function bodySchema(operation: Operation): Json {
  return Object.values(operation.requestBody!.content)[0]!.schema;
}

function headersOf(document: Document, response: Json): Record<string, Json> {
  const headers = (follow(document, response).headers ?? {}) as Record<string, Json>;
  return Object.fromEntries(
    Object.entries(headers).map(([name, header]) => [name, follow(document, header)]),
  );
}

describe('GET /openapi.json states what the server does', () => {
  let app: FastifyInstance;
  let document: Document;

  beforeAll(async () => {
    ({ app } = await createTestApp({ config: { password: { minLength: 12, maxLength: 100 } } }));
    document = await documentOf(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('gives the /oauth/* errors as RFC 6749 {error, error_description} in application/json', () => {
    expect(document.components.schemas).toHaveProperty('OAuthError.required', ['error', 'error_description']);
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect']) {
      const responses = document.paths[path]!.post!.responses;
      for (const [status, response] of Object.entries(responses)) {
        if (status.startsWith('2')) continue;
        expect(follow(document, response).content, `${path} ${status}`).toEqual({
          'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } },
        });
      }
      expect(Object.keys(responses), path).toEqual(expect.arrayContaining(['400', '401', '413', '503']));
    }
    expect(document.paths['/oauth/token']!.post!.responses).toHaveProperty('429');
  });

  it('lets unknown OAuth parameters through only as strings (RFC 6749 §3.2: ignored)', () => {
    for (const path of ['/oauth/token', '/oauth/revoke', '/oauth/introspect']) {
      const schema = bodySchema(document.paths[path]!.post!);
      expect(schema.additionalProperties, path).toMatchObject({ type: 'string' });
    }
  });

  it('states the configured password policy where a password is chosen, and only there', () => {
    const chosen = { type: 'string', minLength: 12, maxLength: 100 };
    const register = bodySchema(document.paths['/auth/register']!.post!);
    expect((register.properties as Json).password).toMatchObject(chosen);
    const change = bodySchema(document.paths['/auth/password']!.post!);
    expect((change.properties as Json).new_password).toMatchObject(chosen);
    // Signing in takes any stored password, whatever the policy is today.
    expect((change.properties as Json).current_password).toMatchObject({ minLength: 1, maxLength: 1024 });
    const login = bodySchema(document.paths['/auth/login']!.post!);
    expect((login.properties as Json).password).toMatchObject({ minLength: 1, maxLength: 1024 });
  });

  it('refuses exactly the passwords the document rules out (400 weak_password)', async () => {
    const register = (password: string) =>
      app.inject({ method: 'POST', url: '/auth/register', payload: { email: EMAIL, password } });
    expectProblem(await register('x'.repeat(11)), 400, 'weak_password');
    expectProblem(await register('x'.repeat(101)), 400, 'weak_password');
    expect((await register('x'.repeat(12))).statusCode).toBe(201);
  });

  it('states the e-mail shape of a new account, agreeing with the flow on every sample', () => {
    const email = (bodySchema(document.paths['/auth/register']!.post!).properties as Json).email as Json;
    const validate = new Ajv2020({ strict: false }).compile(email);
    const samples = [
      'ada@example.com',
      '  Ada@Example.COM ',
      'ada@localhost',
      '@example.com',
      'ada@',
      'ada example@example.com',
      'ada@exa@mple.com',
      'ada\u202e@example.com',
      'ada\u0000@example.com',
      'ünï@exämple.de',
      'a@b.c',
    ];
    for (const sample of samples) {
      let accepted = true;
      try {
        parseEmail(sample);
      } catch {
        accepted = false;
      }
      expect(validate(sample), JSON.stringify(sample)).toBe(accepted);
    }
  });

  it('states the revocation cursor syntax, and the server refuses any other since', async () => {
    const since = document.paths['/auth/revocations']!.get!.parameters!.find(
      (parameter) => parameter.name === 'since',
    ) as unknown as { schema: { pattern: string } };
    const pattern = new RegExp(since.schema.pattern, 'u');
    expect(pattern.test('1768471200000')).toBe(true);
    expect(pattern.test('1768471200000.sid_1.1768471100000')).toBe(true);
    for (const bad of ['', 'abc', '1.2', '-1', '1 ']) {
      expect(pattern.test(bad), bad).toBe(false);
      const answer = await app.inject({
        method: 'GET',
        url: `/auth/revocations?since=${encodeURIComponent(bad)}`,
      });
      expectProblem(answer, 400, 'invalid_request');
    }
  });

  it('declares the JWKS as application/jwk-set+json, and the bodies of /auth/sessions and /api/*', () => {
    const jwks = document.paths['/.well-known/jwks.json']!.get!.responses['200']!;
    expect(Object.keys(jwks.content as Json)).toEqual(['application/jwk-set+json']);
    for (const [path, member] of [
      ['/auth/sessions', 'sessions'],
      ['/api/secure', 'sub'],
      ['/api/admin', 'sub'],
    ] as const) {
      const schema = (document.paths[path]!.get!.responses['200']!.content as Json)[
        'application/json'
      ] as Json;
      expect(schema.schema, path).toMatchObject({
        additionalProperties: false,
        required: expect.arrayContaining([member]),
      });
    }
  });

  it('declares the headers clients act on: challenges, Retry-After, Set-Cookie', () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const where = `${method} ${path}`;
        const secured = operation.security !== undefined;
        const oauth = path.startsWith('/oauth/');
        const responses = operation.responses;
        if (responses['401'] !== undefined && !oauth) {
          expect(headersOf(document, responses['401'])['WWW-Authenticate'], where).toMatchObject({
            required: true,
          });
        }
        if (responses['429'] !== undefined) {
          expect(headersOf(document, responses['429'])['Retry-After'], where).toMatchObject({
            required: true,
          });
        }
        // /readyz answers its own 503 body: the probe says "unavailable", nothing to retry.
        if (path !== '/readyz')
          expect(headersOf(document, responses['503']!)['Retry-After'], where).toBeDefined();
        for (const status of ['400', '403']) {
          if (oauth || responses[status] === undefined) continue;
          // Optional: sent when the request was refused for its credential (RFC 6750 §3).
          const challenge = headersOf(document, responses[status])['WWW-Authenticate'];
          expect(challenge, `${where} ${status}`).toMatchObject({ schema: { type: 'string' } });
          expect(challenge!.required, `${where} ${status}`).not.toBe(true);
        }
        if (secured) expect(responses, where).toHaveProperty('401');
      }
    }
    for (const [path, method, status] of [
      ['/auth/register', 'post', '201'],
      ['/auth/login', 'post', '200'],
      ['/auth/refresh', 'post', '200'],
      ['/auth/logout', 'post', '204'],
    ] as const) {
      expect(headersOf(document, document.paths[path]![method]!.responses[status]!), path).toHaveProperty(
        'Set-Cookie',
      );
    }
  });

  it('declares 413 and 415 on every method Fastify reads a body for, with or without a body schema', async () => {
    const { access_token: token } = await registerUser(app, 'bodies@example.com', 'x'.repeat(12));
    const remove = document.paths['/auth/sessions/{id}']!.delete!;
    expect(Object.keys(remove.responses)).toEqual(expect.arrayContaining(['413', '415']));
    // The checked inject fails this test if the answer were not declared.
    const answer = await app.inject({
      method: 'DELETE',
      url: '/auth/sessions/abc',
      headers: { ...bearer(token), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expectProblem(answer, 415, 'unsupported_media_type');
    expect(document.paths['/auth/me']!.get!.responses).not.toHaveProperty('415');
  });

  it('declares 403 only where a route can answer it: a role, or CSRF on a state-changing method', () => {
    expect(document.paths['/api/admin']!.get!.responses).toHaveProperty('403');
    expect(document.paths['/auth/logout']!.post!.responses).toHaveProperty('403');
    for (const path of ['/auth/me', '/auth/sessions', '/api/secure']) {
      expect(document.paths[path]!.get!.responses, path).not.toHaveProperty('403');
    }
  });

  it('links operations, every link naming an operation and parameters that exist', () => {
    const byId = new Map(
      Object.values(document.paths).flatMap((item) =>
        Object.values(item).map((op) => [op.operationId, op] as const),
      ),
    );
    let count = 0;
    for (const operation of byId.values()) {
      for (const response of Object.values(operation.responses)) {
        for (const [name, link] of Object.entries((response.links ?? {}) as Record<string, Json>)) {
          count += 1;
          const target = byId.get(link.operationId as string);
          expect(target, `${operation.operationId} -> ${name}`).toBeDefined();
          for (const parameter of Object.keys((link.parameters ?? {}) as Json)) {
            expect(
              target!.parameters?.map((p) => p.name),
              `${name}.${parameter}`,
            ).toContain(parameter);
          }
          for (const member of Object.keys((link.requestBody ?? {}) as Json)) {
            expect(Object.keys(bodySchema(target!).properties as Json), `${name}.${member}`).toContain(
              member,
            );
          }
        }
      }
    }
    expect(count).toBeGreaterThanOrEqual(10);
    expect(document.paths['/auth/login']!.post!.responses['200']!.links).toMatchObject({
      refresh: {
        operationId: 'postAuthRefresh',
        requestBody: { refresh_token: '{$response.body#/refresh_token}' },
      },
      me: { operationId: 'getAuthMe' },
    });
  });

  it('follows a link: the listed session id revokes that session', async () => {
    const { access_token: token } = await registerUser(app, 'links@example.com', 'x'.repeat(12));
    const list = await app.inject({ method: 'GET', url: '/auth/sessions', headers: bearer(token) });
    const link = document.paths['/auth/sessions']!.get!.responses['200']!.links as Record<string, Json>;
    const pointer = ((link.revoke!.parameters as Json).id as string).replace('$response.body#', '');
    const id = pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((node, part) => (node as Json)[part], list.json());
    const revoke = await app.inject({
      method: 'DELETE',
      url: `/auth/sessions/${String(id)}`,
      headers: bearer(token),
    });
    expect(revoke.statusCode).toBe(204);
  });
});
