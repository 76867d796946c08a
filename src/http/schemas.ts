/**
 * JSON schemas of every request body and of the token responses. Bodies are closed
 * (additionalProperties: false, so `roles` in a registration is an error, not silently dropped) and
 * every string is length-capped, so no field can carry a megabyte to the password hasher.
 */
import type { UserView } from '../wire/user-view.js';

const email = { type: 'string', minLength: 3, maxLength: 320 } as const;
const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const opaqueToken = { type: 'string', minLength: 1, maxLength: 512 } as const;

/**
 * A password being chosen (registration, change): any 1 to 1024 characters get through the route, and
 * the flow applies the configured policy with its own code (400 weak_password). The OpenAPI document
 * shows the policy in its place (openapi.ts documentedSchemas), so this object must stay the one used.
 */
export const newPassword = { ...password } as const;

/** The e-mail of a new account: the flow checks its shape (400 invalid_email), documented in openapi.ts. */
export const newAccountEmail = { ...email } as const;

export const registerBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  // A display name: no control characters (NUL, CR/LF would corrupt logs and admin views).
  properties: {
    email: newAccountEmail,
    password: newPassword,
    name: { type: 'string', maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]*$' },
  },
} as const;

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['email', 'password'],
  properties: { email, password },
} as const;

/**
 * Register and login: `delivery=cookie` asks for the tokens as HTTP-only cookies instead of in the
 * body; `mode=session` for a stateful session token instead of a JWT pair (`mode=jwt` forces JWT).
 */
export const signInQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    delivery: { type: 'string', enum: ['body', 'cookie', 'refresh_cookie'] },
    mode: { type: 'string', enum: ['jwt', 'session'] },
  },
} as const;

/** /auth/refresh: how to answer (default: as the refresh token came, `cookie` for the cookie). */
export const refreshQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { delivery: { type: 'string', enum: ['body', 'cookie', 'refresh_cookie'] } },
} as const;

/** /auth/logout: `refresh_cookie` asks to clear the refresh cookie the Bearer client cannot see. */
export const logoutQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { delivery: { type: 'string', enum: ['refresh_cookie'] } },
} as const;

export const refreshBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { refresh_token: opaqueToken },
} as const;

export const logoutBody = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { scope: { type: 'string', enum: ['local', 'others', 'global'] } },
} as const;

export const changePasswordBody = {
  type: 'object',
  additionalProperties: false,
  required: ['current_password', 'new_password'],
  properties: { current_password: password, new_password: newPassword },
} as const;

export const sessionIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' } },
} as const;

/** A 204 answer: no body (the OpenAPI document lists it without content). */
export const noContent = { type: 'null', description: 'No content' } as const;

/** The health probes' body. */
export const statusResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { type: 'string' } },
} as const;

export const emptyQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

/**
 * The wire's UserView (src/wire/user-view.ts). A serialisation schema drops what it does not list, so
 * the `satisfies` clauses make a member added to the view and missing here a compile error.
 */
export const userView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'name', 'roles', 'email_verified', 'created_at'] satisfies (keyof UserView)[],
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    name: { type: ['string', 'null'] },
    roles: { type: 'array', items: { type: 'string' } },
    email_verified: { type: 'boolean' },
    created_at: { type: 'string' },
  } satisfies Record<keyof UserView, unknown>,
} as const;

/** Serialisation schema: only these members ever leave, whatever the handler returns. */
export const tokenResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user', 'token_type', 'expires_in'],
  properties: {
    user: userView,
    access_token: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
    refresh_token: { type: 'string' },
    session_token: { type: 'string' },
    csrf_token: { type: 'string' },
  },
} as const;

export const userResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['user'],
  properties: { user: userView },
} as const;

const sessionView = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'created_at', 'last_seen_at', 'expires_at', 'user_agent', 'ip', 'current'],
  properties: {
    id: { type: 'string' },
    kind: { type: 'string', enum: ['jwt', 'session'] },
    created_at: { type: 'string', format: 'date-time' },
    last_seen_at: { type: 'string', format: 'date-time' },
    expires_at: { type: 'string', format: 'date-time' },
    user_agent: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    current: { type: 'boolean', description: 'The session of the credential that asked.' },
  },
} as const;

/** GET /auth/sessions: the user's live sessions (devices). */
export const sessionsResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['sessions'],
  properties: { sessions: { type: 'array', items: sessionView } },
} as const;

/** The demo protected resources under /api. */
export const resourceResponse = {
  type: 'object',
  additionalProperties: false,
  required: ['message', 'sub'],
  properties: { message: { type: 'string' }, sub: { type: 'string', description: 'The user id.' } },
} as const;

/**
 * GET /.well-known/jwks.json (RFC 7517 §5): public members only. The route sends a cached string, so
 * this schema documents the answer; it never filters it (exportPublicJwk keeps private members out).
 */
export const jwksResponse = {
  description: 'The public signing keys: next, current and retired (RFC 7517 §5).',
  content: {
    'application/jwk-set+json': {
      schema: {
        type: 'object',
        additionalProperties: false,
        required: ['keys'],
        properties: {
          keys: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['kty', 'kid', 'alg', 'use'],
              properties: {
                kty: { type: 'string', enum: ['EC', 'RSA', 'OKP'] },
                kid: { type: 'string' },
                alg: { type: 'string' },
                use: { type: 'string', enum: ['sig'] },
                crv: { type: 'string' },
                x: { type: 'string' },
                y: { type: 'string' },
                n: { type: 'string' },
                e: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
} as const;

/** GET /openapi.json: this document. */
export const openApiResponse = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' } },
} as const;
