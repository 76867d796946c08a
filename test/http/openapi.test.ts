import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOpenApiPath } from '../../src/http/openapi.js';
import { createTestApp } from '../helpers/test-deps.js';

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  parameters?: { name: string; in: string; required: boolean; schema: Json }[];
  requestBody?: { required: boolean; content: Record<string, { schema: Json }> };
  responses: Record<string, Json>;
  security?: Record<string, string[]>[];
}
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: Json & { securitySchemes: Record<string, Json> };
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Every method and path Fastify knows, read from printRoutes (a tree whose children print relative to
 * their parent), without the HEAD routes Fastify adds for every GET.
 */
function routesFastifyKnows(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const found: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^(.*?)[└├]── (\S+)(?: \(([^)]*)\))?$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    const path = (depth > 0 ? stack[depth - 1]! : '') + match[2]!;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim())) {
      if (method !== '' && method !== 'HEAD') found.push(`${method} ${toOpenApiPath(path)}`);
    }
  }
  return found.sort();
}

function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

function operations(document: OpenApiDocument): [string, string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]): [string, string, Operation] => [method, path, op]),
  );
}

/** Every `$ref` anywhere in the value. */
function refsIn(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refsIn(inner),
  );
}

function resolvePointer(document: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, part) =>
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      document,
    );
}

/** A minimal value that passes the schema: required members only, strings at their minimum length. */
function sample(schema: Json | undefined): unknown {
  if (schema === undefined) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, Json>;
    const required = (schema.required ?? []) as string[];
    return Object.fromEntries(required.map((name) => [name, sample(properties[name])]));
  }
  if (type === 'string') return 'a'.repeat(Math.max(Number(schema.minLength ?? 1), 1));
  if (type === 'integer' || type === 'number') return 1;
  if (type === 'boolean') return true;
  return null;
}

describe('GET /openapi.json', () => {
  let app: FastifyInstance;
  let response: LightMyRequestResponse;
  let document: OpenApiDocument;

  beforeAll(async () => {
    ({ app } = await createTestApp());
    response = await app.inject({ method: 'GET', url: '/openapi.json' });
    document = response.json<OpenApiDocument>();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 200 JSON, cacheable for five minutes, the same document every time', async () => {
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const again = await app.inject({ method: 'GET', url: '/openapi.json' });
    expect(again.body).toBe(response.body);
  });

  it('lists every route the app has, and nothing else', () => {
    // The console's static files (/, /index.html, /assets/*) are a page, deliberately left out of the
    // API document (test/http/console.test.ts checks that); with or without a build in dist/console.
    const known = routesFastifyKnows(app).filter((route) => !/^GET \/(index\.html|assets\/.*)?$/.test(route));
    // The parser must have seen the whole tree, nested paths and this route included.
    expect(known).toContain('DELETE /auth/sessions/{id}');
    expect(known).toContain('GET /openapi.json');
    expect(known.length).toBeGreaterThanOrEqual(14);
    expect(documentedRoutes(document)).toEqual(known);
    for (const [method, path] of operations(document)) {
      const url = path.replace(/\{(\w+)\}/g, ':$1');
      expect(app.hasRoute({ method: method.toUpperCase() as 'GET', url }), `${method} ${path}`).toBe(true);
    }
  });

  it('leaves out the HEAD and OPTIONS routes Fastify adds', () => {
    for (const [method] of operations(document)) expect(['head', 'options']).not.toContain(method);
  });

  it('is OpenAPI 3.1 with the package version', async () => {
    const { readFile } = await import('node:fs/promises');
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Tessera', version: pkg.version });
    for (const [method, , op] of operations(document)) {
      expect(HTTP_METHODS).toContain(method);
      expect(Object.keys(op.responses).length).toBeGreaterThan(0);
    }
    const ids = operations(document).map(([, , op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has every $ref resolving within the document', () => {
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolvePointer(document, ref), ref).toBeDefined();
  });

  it('declares a path parameter for every {param} in a URL, and no other', () => {
    for (const [method, path, op] of operations(document)) {
      const inUrl = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      const declared = (op.parameters ?? [])
        .filter((parameter) => parameter.in === 'path')
        .map((parameter) => {
          expect(parameter.required, `${method} ${path} ${parameter.name}`).toBe(true);
          return parameter.name;
        })
        .sort();
      expect(declared, `${method} ${path}`).toEqual(inUrl);
    }
    const revoke = document.paths['/auth/sessions/{id}']!.delete!;
    expect(revoke.parameters).toContainEqual({
      name: 'id',
      in: 'path',
      required: true,
      schema: expect.objectContaining({ type: 'string', maxLength: 64 }),
    });
  });

  it('carries the request body schemas (closed, with their required members)', () => {
    const register = document.paths['/auth/register']!.post!;
    expect(register.requestBody?.required).toBe(true);
    const body = register.requestBody!.content['application/json']!.schema;
    expect(body).toMatchObject({ type: 'object', additionalProperties: false });
    expect(body.required).toEqual(expect.arrayContaining(['email', 'password']));
    expect(Object.keys(body.properties as Json)).toEqual(
      expect.arrayContaining(['email', 'password', 'name']),
    );

    const password = document.paths['/auth/password']!.post!.requestBody!;
    expect(password.content['application/json']!.schema).toMatchObject({
      additionalProperties: false,
      required: ['current_password', 'new_password'],
    });
    // Refresh and logout take an optional (null-able) body.
    expect(document.paths['/auth/refresh']!.post!.requestBody!.required).toBe(false);
    expect(document.paths['/auth/logout']!.post!.requestBody!.required).toBe(false);
    // Query parameters come from the querystring schema.
    expect(register.parameters?.map((parameter) => [parameter.name, parameter.in])).toEqual([
      ['delivery', 'query'],
      ['mode', 'query'],
    ]);
    // GETs have no request body.
    for (const [method, , op] of operations(document)) {
      if (method === 'get' || method === 'delete') expect(op.requestBody).toBeUndefined();
    }
  });

  it('documents the success responses and, per operation, each error status it can answer', () => {
    const problem = resolvePointer(document, '#/components/responses/Problem') as Json;
    expect(problem.content).toHaveProperty(
      ['application/problem+json', 'schema', '$ref'],
      '#/components/schemas/Problem',
    );
    expect(resolvePointer(document, '#/components/schemas/Problem')).toMatchObject({
      required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
    });
    for (const [method, path, op] of operations(document)) {
      const statuses = Object.keys(op.responses);
      // Exact statuses only: a range would hide a status the route cannot answer.
      expect(
        statuses.filter((status) => !/^[1-5]\d\d$/.test(status)),
        `${method} ${path}`,
      ).toEqual([]);
      expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(['400', '500', '503']));
      expect(
        statuses.some((status) => /^2/.test(status)),
        `${method} ${path}`,
      ).toBe(true);
      const oauth = path.startsWith('/oauth/');
      const error = resolvePointer(document, (op.responses['400'] as { $ref: string }).$ref) as Json;
      expect(Object.keys(error.content as Json), `${method} ${path}`).toEqual([
        oauth ? 'application/json' : 'application/problem+json',
      ]);
    }
    expect(document.paths['/auth/register']!.post!.responses['201']).toHaveProperty([
      'content',
      'application/json',
      'schema',
      'required',
    ]);
    expect(document.paths['/auth/me']!.get!.responses['200']).toHaveProperty(['content', 'application/json']);
    expect(document.paths['/auth/logout']!.post!.responses['204']).not.toHaveProperty('content');
  });

  it('marks the protected routes with security, and only them', () => {
    expect(document.components.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      sessionCookie: { type: 'apiKey', in: 'cookie' },
    });
    const secured = operations(document)
      .filter(([, , op]) => op.security !== undefined)
      .map(([method, path]) => `${method.toUpperCase()} ${path}`)
      .sort();
    expect(secured).toEqual(
      [
        'GET /auth/me',
        'POST /auth/password',
        'POST /auth/email/change',
        'GET /auth/sessions',
        'DELETE /auth/sessions/{id}',
        'POST /auth/logout',
        'GET /auth/mfa',
        'POST /auth/mfa/totp',
        'POST /auth/mfa/totp/confirm',
        'POST /auth/mfa/recovery-codes',
        'DELETE /auth/mfa/factors/{id}',
        'GET /api/secure',
        'GET /api/admin',
        'GET /api/step-up-demo',
        'POST /auth/passkeys/registration/options',
        'POST /auth/passkeys',
        'GET /auth/passkeys',
        'PATCH /auth/passkeys/{id}',
        'DELETE /auth/passkeys/{id}',
      ].sort(),
    );
    for (const [, , op] of operations(document)) {
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) {
          expect(document.components.securitySchemes).toHaveProperty([scheme]);
        }
      }
    }
  });

  it('matches what the server does: secured routes refuse an anonymous request, public ones do not', async () => {
    for (const [method, path, op] of operations(document)) {
      const params = Object.fromEntries(
        (op.parameters ?? [])
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => [parameter.name, String(sample(parameter.schema))]),
      );
      const url = path.replace(/\{(\w+)\}/g, (_whole, name: string) => params[name] ?? 'x');
      const body = op.requestBody?.required
        ? sample(Object.values(op.requestBody.content)[0]!.schema)
        : undefined;
      const answer = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        ...(body === undefined ? {} : { payload: body as Json }),
        remoteAddress: '198.51.100.7',
      });
      const code = answer.statusCode === 401 ? answer.json<{ code: string }>().code : undefined;
      if (op.security !== undefined) {
        expect([answer.statusCode, code], `${method} ${path}`).toEqual([401, 'unauthenticated']);
      } else {
        expect(code, `${method} ${path}: ${answer.body}`).not.toBe('unauthenticated');
      }
    }
  });
});
