import { readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import type { FastifySchema, RouteOptions } from 'fastify';
import { AUTH_ERROR_CODES } from '../errors.js';
import { cookieNames } from './cookies.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route runs requireAuth (route or plugin hook): the OpenAPI document marks it as secured. */
    auth?: boolean;
    /** The route reads an application/x-www-form-urlencoded body (the /oauth/* endpoints). */
    formBody?: boolean;
  }
}

/** Route option shorthand for routes behind requireAuth: `{ config: AUTH_REQUIRED, ... }`. */
export const AUTH_REQUIRED = Object.freeze({ auth: true });

/** One route as Fastify registered it, minus its handler. */
export interface CollectedRoute {
  method: string;
  /** The Fastify URL, with any prefix (`/auth/sessions/:id`). */
  url: string;
  schema: FastifySchema | undefined;
  auth: boolean;
  formBody?: boolean;
}

type JsonSchema = Record<string, unknown>;
type Json = Record<string, unknown>;

/** Methods Fastify adds by itself (HEAD for every GET) or that no route here declares: not documented. */
const UNDOCUMENTED_METHODS = new Set(['HEAD', 'OPTIONS']);

/**
 * Collects every route as it is registered. Install its `onRoute` before any route plugin; the
 * document is built later (first request), when the list is complete.
 */
export function createRouteCollector(): { routes: CollectedRoute[]; onRoute: (route: RouteOptions) => void } {
  const routes: CollectedRoute[] = [];
  return {
    routes,
    onRoute(route: RouteOptions) {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (UNDOCUMENTED_METHODS.has(method.toUpperCase())) continue;
        routes.push({
          method: method.toUpperCase(),
          url: route.url,
          schema: route.schema,
          auth: route.config?.auth === true,
          formBody: route.config?.formBody === true,
        });
      }
    },
  };
}

/** `/auth/sessions/:id` -> `/auth/sessions/{id}` (a `:id(regex)` constraint is dropped). */
export function toOpenApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');
}

/** The package version, read once from package.json (two levels up from src/http and dist/http). */
export function packageVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const PROBLEM_REF = { $ref: '#/components/responses/Problem' } as const;

const SECURITY = [{ bearerAuth: [] }, { accessCookie: [] }, { sessionCookie: [] }] as const;

/** Builds the OpenAPI 3.1 document of the given routes; Fastify's JSON schemas are used as they are. */
export function buildOpenApiDocument(routes: readonly CollectedRoute[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    const item = (paths[path] ??= {});
    item[route.method.toLowerCase()] = operation(route, path);
  }
  const secureNames = cookieNames(true);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera',
      version,
      description: 'Authentication server: JWT and session sign-in, refresh rotation, JWKS.',
    },
    paths,
    components: {
      schemas: { Problem: problemSchema() },
      responses: {
        Problem: {
          description: 'An RFC 9457 problem; 401 answers carry an RFC 6750 Bearer challenge.',
          content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        },
      },
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        accessCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: secureNames.access,
          description: 'The HttpOnly access-token cookie (bare name without the prefix over plain HTTP).',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: secureNames.session,
          description: 'The HttpOnly session cookie (bare name without the prefix over plain HTTP).',
        },
      },
    },
  };
}

function operation(route: CollectedRoute, path: string): Json {
  const schema = route.schema ?? {};
  const op: Json = { operationId: operationId(route.method, path) };
  const parameters = [
    ...parametersOf(schema.params as JsonSchema | undefined, 'path'),
    ...parametersOf(schema.querystring as JsonSchema | undefined, 'query'),
  ];
  if (parameters.length > 0) op.parameters = parameters;
  if (schema.body !== undefined) {
    const body = copy(schema.body as JsonSchema);
    op.requestBody = {
      required: !allowsNull(body),
      content: {
        [route.formBody ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: body },
      },
    };
  }
  op.responses = responsesOf(schema.response as Record<string, JsonSchema> | undefined);
  if (route.auth) op.security = copy(SECURITY);
  return op;
}

function parametersOf(schema: JsonSchema | undefined, location: 'path' | 'query'): Json[] {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: copy(property),
  }));
}

function responsesOf(response: Record<string, JsonSchema> | undefined): Json {
  const responses: Json = {};
  for (const [status, schema] of Object.entries(response ?? {})) {
    const { description, ...rest } = copy(schema);
    const text = typeof description === 'string' ? description : (STATUS_CODES[Number(status)] ?? 'Response');
    responses[status] =
      rest.type === 'null'
        ? { description: text }
        : { description: text, content: { 'application/json': { schema: rest } } };
  }
  if (!Object.keys(responses).some((status) => status.startsWith('2')))
    responses['200'] = { description: 'OK' };
  responses['4XX'] = PROBLEM_REF;
  responses['5XX'] = PROBLEM_REF;
  return responses;
}

function problemSchema(): JsonSchema {
  return {
    type: 'object',
    required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
    properties: {
      type: { type: 'string', description: 'A relative URI: /problems/{code}.' },
      title: { type: 'string' },
      status: { type: 'integer' },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The request path, without the query.' },
      code: { type: 'string', enum: [...AUTH_ERROR_CODES] },
    },
  };
}

function operationId(method: string, path: string): string {
  const words = path
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]!.toUpperCase() + word.slice(1));
  return method.toLowerCase() + words.join('');
}

function allowsNull(schema: JsonSchema): boolean {
  const type = schema.type;
  return type === 'null' || (Array.isArray(type) && type.includes('null'));
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
