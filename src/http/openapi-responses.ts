import { MFA_GRANT_TYPE } from '../flows/oauth/token-grants.js';
import { STATUS_CODES } from 'node:http';
import { AUTH_ERROR_CODES } from '../errors.js';
import { OAUTH_ERROR_CODES } from '../flows/oauth/oauth-error.js';
import type { CollectedRoute } from './openapi.js';

type Json = Record<string, unknown>;

/**
 * The error answers of each operation, as the server really gives them. Every route can answer 400
 * (a token in the query string, a malformed URL, a bad parameter), 500 (a bug) and 503 (a store is
 * away, or the server is closing); a method Fastify reads a body for adds 413 and 415 (even without a
 * body schema); a route behind requireAuth adds 401, and 403 (CSRF) for those methods. Anything else a route can answer is listed in its `config.problems` (429 follows from its `config.rateLimits`). The /oauth/* routes
 * answer RFC 6749 §5.2 `{error, error_description}` as application/json, never problem+json.
 */
export function errorStatusesOf(route: CollectedRoute): number[] {
  const statuses = new Set([400, 500, 503, ...route.problems]);
  if (route.parsesBody) {
    statuses.add(413);
    if (!route.oauthErrors) statuses.add(415); // the OAuth scope answers a wrong media type with 400
  }
  if (route.auth) {
    statuses.add(401);
    // csrf_rejected: a cookie credential on a state-changing request from another origin.
    if (route.parsesBody) statuses.add(403);
  }
  return [...statuses].sort((a, b) => a - b);
}

/** The `$ref` of the shared response that one error status of a route answers with. */
export function errorResponseRef(route: CollectedRoute, status: number): Json {
  return { $ref: `#/components/responses/${errorResponseName(route, status)}` };
}

function errorResponseName(route: CollectedRoute, status: number): string {
  if (route.oauthErrors) {
    if (status === 401) return 'OAuthInvalidClient';
    if (status === 429) return 'OAuthTooManyRequests';
    if (status === 503) return 'OAuthUnavailable';
    return 'OAuthError';
  }
  if (status === 401) return 'Unauthorized';
  if (status === 429) return 'TooManyRequests';
  if (status === 503) return 'ServiceUnavailable';
  // RFC 6750 §3: a request refused for its credential (400 invalid_request: a malformed Authorization
  // header or a token in the query string, which every route refuses; 403 insufficient_scope or a
  // cross-site cookie) may carry a challenge.
  if (status === 400 || status === 403) return 'ProblemWithChallenge';
  return 'Problem';
}

/** The description of a status code, for responses that carry none of their own. */
export function statusText(status: string): string {
  return STATUS_CODES[Number(status)] ?? 'Response';
}

const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const oauthContent = { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } };
const header = (name: string): Json => ({ $ref: `#/components/headers/${name}` });

/** components.schemas, .headers and .responses shared by every operation. */
export function sharedComponents(): { schemas: Json; headers: Json; responses: Json } {
  return {
    schemas: { Problem: problemSchema(), OAuthError: oauthErrorSchema() },
    headers: sharedHeaders(),
    responses: {
      Problem: { description: 'An RFC 9457 problem.', content: problemContent },
      ProblemWithChallenge: {
        description:
          'An RFC 9457 problem; a request refused for its credential may get an RFC 6750 challenge.',
        headers: { 'WWW-Authenticate': header('BearerChallenge') },
        content: problemContent,
      },
      Unauthorized: {
        description: 'An RFC 9457 problem with an RFC 6750 Bearer challenge.',
        headers: { 'WWW-Authenticate': header('BearerChallengeRequired') },
        content: problemContent,
      },
      TooManyRequests: {
        description: 'Too many requests: retry after the given number of seconds.',
        headers: { 'Retry-After': header('RetryAfterRequired') },
        content: problemContent,
      },
      ServiceUnavailable: {
        description: 'A backing store is unavailable, or the server is shutting down.',
        headers: { 'Retry-After': header('RetryAfter') },
        content: problemContent,
      },
      OAuthError: { description: 'An RFC 6749 §5.2 error.', content: oauthContent },
      OAuthInvalidClient: {
        description: 'invalid_client (RFC 6749 §5.2): a Basic challenge when Basic credentials were tried.',
        headers: { 'WWW-Authenticate': header('BasicChallenge') },
        content: oauthContent,
      },
      OAuthTooManyRequests: {
        description: 'temporarily_unavailable: too many requests, retry after the given seconds.',
        headers: { 'Retry-After': header('RetryAfterRequired') },
        content: oauthContent,
      },
      OAuthUnavailable: {
        description: 'temporarily_unavailable: a backing store is unavailable.',
        headers: { 'Retry-After': header('RetryAfter') },
        content: oauthContent,
      },
    },
  };
}

function sharedHeaders(): Json {
  const seconds = { type: 'string', pattern: '^[1-9][0-9]*$' };
  const retry = 'Seconds to wait before retrying (RFC 9110 §10.2.3).';
  const bearer = {
    type: 'string',
    // realm first, then auth-params (RFC 6750 §3: error, error_description, scope, ...).
    pattern: '^Bearer realm="[^"]*"(, [a-z_]+="[^"\\\\]*")*$',
  };
  const challenge = 'RFC 6750 §3 challenge: `error` names why the credential was refused.';
  return {
    RetryAfter: { description: retry, schema: seconds },
    RetryAfterRequired: { description: retry, required: true, schema: seconds },
    BearerChallenge: { description: challenge, schema: bearer },
    BearerChallengeRequired: { description: challenge, required: true, schema: bearer },
    BasicChallenge: {
      description: 'RFC 7617 challenge for the client credentials (RFC 6749 §2.3.1).',
      schema: { type: 'string', pattern: '^Basic realm="[^"]*", charset="UTF-8"$' },
    },
    SetCookie: {
      description:
        'Cookie delivery: the HttpOnly token cookies and the CSRF cookie are set (or cleared on sign-out).',
      schema: { type: 'string' },
    },
  };
}

function problemSchema(): Json {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['type', 'title', 'status', 'detail', 'instance', 'code'],
    properties: {
      type: {
        type: 'string',
        description: 'A relative URI: /problems/{code}.',
        pattern: '^/problems/[a-z_]+$',
      },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string' },
      instance: { type: 'string', description: 'The request path, without the query.' },
      code: { type: 'string', enum: [...AUTH_ERROR_CODES] },
      mfa_ticket: {
        type: 'string',
        description: 'mfa_required only: the ticket that completes the sign-in at POST /auth/mfa/verify.',
      },
      methods: {
        type: 'array',
        items: { type: 'string', enum: ['totp', 'recovery_code'] },
        description: 'mfa_required only: how the user may answer the second step.',
      },
      expires_in: { type: 'integer', description: 'mfa_required only: seconds the ticket lives.' },
    },
  };
}

function oauthErrorSchema(): Json {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['error', 'error_description'],
    properties: {
      error: { type: 'string', enum: [...OAUTH_ERROR_CODES] },
      error_description: { type: 'string' },
      mfa_ticket: {
        type: 'string',
        description: `mfa_required only: complete the sign-in with grant_type=${MFA_GRANT_TYPE}.`,
      },
    },
  };
}
