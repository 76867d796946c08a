import { readFileSync } from 'node:fs';
import type { FastifySchema, RouteOptions } from 'fastify';
import { EMAIL_SHAPE, MAX_EMAIL_LENGTH } from '../flows/auth/email-address.js';
import { cookieNames } from './cookies.js';
import { STATE_CHANGING_METHODS } from './plugins/csrf.js';
import { OPERATION_LINKS } from './openapi-links.js';
import { errorResponseRef, errorStatusesOf, sharedComponents, statusText } from './openapi-responses.js';
import { newAccountEmail, newPassword } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route runs requireAuth (route or plugin hook): the OpenAPI document marks it as secured. */
    auth?: boolean;
    /** The route reads an application/x-www-form-urlencoded body (the /oauth/* endpoints). */
    formBody?: boolean;
    /** Errors answer RFC 6749 §5.2 `{error, error_description}` as application/json (the /oauth/* scope). */
    oauthErrors?: boolean;
    /**
     * Error statuses the route answers for its own reasons, beyond those every route, every body and
     * every requireAuth route can answer (openapi-responses.ts errorStatusesOf).
     */
    problems?: readonly number[];
    /** Successful answers may set or clear cookies (cookie delivery, sign-out). */
    setsCookies?: boolean;
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
  formBody: boolean;
  oauthErrors: boolean;
  problems: readonly number[];
  setsCookies: boolean;
  /** Fastify parses a body for this method (with or without a body schema): 413 and 415 can follow. */
  parsesBody: boolean;
}

/** What the document states that the routes do not: the configured password policy. */
export interface OpenApiContext {
  version: string;
  passwordPolicy: { minLength: number; maxLength: number };
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
          oauthErrors: route.config?.oauthErrors === true,
          problems: problemsOf(route),
          setsCookies: route.config?.setsCookies === true,
          parsesBody: STATE_CHANGING_METHODS.has(method.toUpperCase()),
        });
      }
    },
  };
}

/** The route's own error statuses: its declared `problems`, and 429 when it declares rate limits. */
function problemsOf(route: RouteOptions): readonly number[] {
  const declared = route.config?.problems ?? [];
  return (route.config?.rateLimits ?? []).length > 0 ? [...declared, 429] : declared;
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

const SECURITY = [{ bearerAuth: [] }, { accessCookie: [] }, { sessionCookie: [] }] as const;

/** Builds the OpenAPI 3.1 document of the given routes; Fastify's JSON schemas are used as they are. */
export function buildOpenApiDocument(routes: readonly CollectedRoute[], context: OpenApiContext): Json {
  const substitutions = documentedSchemas(context);
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    const item = (paths[path] ??= {});
    item[route.method.toLowerCase()] = operation(route, path, substitutions);
  }
  const secureNames = cookieNames(true);
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tessera',
      version: context.version,
      description: 'Authentication server: JWT and session sign-in, refresh rotation, JWKS.',
    },
    paths,
    components: {
      ...sharedComponents(),
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

/**
 * Request schemas whose route accepts more than the server finally does, replaced (by identity) with
 * what the flow enforces: the configured password policy (the flow answers 400 weak_password) and the
 * e-mail shape of a new account (400 invalid_email). The routes keep the wide schema so these refusals
 * keep their own stable codes.
 */
function documentedSchemas(context: OpenApiContext): Map<object, JsonSchema> {
  const { minLength, maxLength } = context.passwordPolicy;
  return new Map<object, JsonSchema>([
    [
      newPassword,
      {
        type: 'string',
        minLength,
        maxLength,
        description: 'Counted in Unicode code points after NFC normalisation; valid Unicode text.',
      },
    ],
    [
      newAccountEmail,
      {
        ...newAccountEmail,
        pattern: `^\\s*${EMAIL_SHAPE.source.replace(/^\^|\$$/g, '')}\\s*$`,
        description: `Surrounding white space is ignored; at most ${MAX_EMAIL_LENGTH} characters once trimmed.`,
      },
    ],
  ]);
}

function operation(route: CollectedRoute, path: string, substitutions: Map<object, JsonSchema>): Json {
  const schema = route.schema ?? {};
  const id = operationId(route.method, path);
  const op: Json = { operationId: id };
  const parameters = [
    ...parametersOf(schema.params as JsonSchema | undefined, 'path'),
    ...parametersOf(schema.querystring as JsonSchema | undefined, 'query'),
  ];
  if (parameters.length > 0) op.parameters = parameters;
  if (schema.body !== undefined) {
    const body = copy(substitute(schema.body, substitutions) as JsonSchema);
    op.requestBody = {
      required: !allowsNull(body),
      content: {
        [route.formBody ? 'application/x-www-form-urlencoded' : 'application/json']: { schema: body },
      },
    };
  }
  op.responses = responsesOf(route, id);
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

/**
 * The route's own response schemas (JSON unless they name their content types), then every error
 * status it can answer; success answers carry their links and, where cookies are delivered, Set-Cookie.
 */
function responsesOf(route: CollectedRoute, id: string): Json {
  const declared = (route.schema?.response ?? {}) as Record<string, JsonSchema>;
  const responses: Json = {};
  for (const [status, schema] of Object.entries(declared)) {
    const { description, content, ...rest } = copy(schema);
    const response: Json = {
      description: typeof description === 'string' ? description : statusText(status),
    };
    if (content !== undefined) response.content = content;
    else if (rest.type !== 'null') response.content = { 'application/json': { schema: rest } };
    if (status.startsWith('2')) {
      if (route.setsCookies) response.headers = { 'Set-Cookie': { $ref: '#/components/headers/SetCookie' } };
      const links = OPERATION_LINKS[id]?.[status];
      if (links !== undefined) response.links = copy(links);
    }
    responses[status] = response;
  }
  if (!Object.keys(responses).some((status) => status.startsWith('2')))
    responses['200'] = { description: 'OK' };
  for (const status of errorStatusesOf(route)) {
    responses[String(status)] ??= errorResponseRef(route, status);
  }
  return responses;
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

/** A deep copy of the schema with every object found in `substitutions` (by identity) replaced. */
function substitute(value: unknown, substitutions: Map<object, JsonSchema>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const replacement = substitutions.get(value);
  if (replacement !== undefined) return replacement;
  if (Array.isArray(value)) return value.map((inner) => substitute(inner, substitutions));
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, substitute(inner, substitutions)]),
  );
}

function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
