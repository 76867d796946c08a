/**
 * Shared helpers of the HTTP tests: sign-up and sign-in shortcuts, and one assertion for the RFC 9457
 * problem bodies and RFC 6750 challenges every error response must carry (docs/errors.md).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { AuthErrorCode } from '../../src/errors.js';
import { PROBLEMS, REALM } from '../../src/http/problem.js';

export const EMAIL = 'alice@example.com';
export const PASSWORD = 'correct horse battery';

export interface TokenBody {
  user: { id: string; email: string; name: string | null; roles: string[]; created_at: string };
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export async function registerUser(
  app: FastifyInstance,
  email = EMAIL,
  password = PASSWORD,
  extra: { remoteAddress?: string } = {},
): Promise<TokenBody> {
  const response = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password },
    ...extra,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<TokenBody>();
}

export function postLogin(
  app: FastifyInstance,
  email = EMAIL,
  password = PASSWORD,
  extra: { remoteAddress?: string; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, ...extra });
}

export async function loginUser(
  app: FastifyInstance,
  email = EMAIL,
  password = PASSWORD,
): Promise<TokenBody> {
  const response = await postLogin(app, email, password);
  expect(response.statusCode, response.body).toBe(200);
  return response.json<TokenBody>();
}

export function postRefresh(
  app: FastifyInstance,
  refreshToken: string,
  extra: { remoteAddress?: string } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/auth/refresh',
    payload: { refresh_token: refreshToken },
    ...extra,
  });
}

export interface ProblemExpectation {
  /** The RFC 6750 `error` attribute the challenge must carry; `null` = a bare `Bearer realm` challenge. */
  bearerError?:
    'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_user_authentication' | null;
  /** The request path, when it differs from the URL the test can infer. */
  instance?: string;
}

/**
 * Asserts an RFC 9457 problem response: status, content type, every member, no stack trace, and the
 * `WWW-Authenticate` challenge that goes with the code (none for codes outside authentication).
 */
export function expectProblem(
  response: LightMyRequestResponse,
  status: number,
  code: AuthErrorCode,
  expectation: ProblemExpectation = {},
): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['cache-control']).toBe('no-store');
  const body = response.json<Record<string, unknown>>();
  expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'instance', 'status', 'title', 'type']);
  expect(body).toMatchObject({ type: `/problems/${code}`, title: PROBLEMS[code].title, status, code });
  expect(typeof body.detail).toBe('string');
  expect(body.detail).not.toBe('');
  if (expectation.instance !== undefined) expect(body.instance).toBe(expectation.instance);
  else expect(body.instance).toMatch(/^\/[^?]*$/);
  expect(response.body).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames

  const challenge = response.headers['www-authenticate'];
  const bearerError =
    expectation.bearerError === undefined ? PROBLEMS[code].bearerError : expectation.bearerError;
  if (bearerError) {
    // RFC 9470 §3: a step-up challenge goes on with acr_values and/or max_age.
    const stepUp =
      bearerError === 'insufficient_user_authentication' ? '(, acr_values="[^"]+")?(, max_age="\\d+")?' : '';
    expect(challenge).toMatch(
      new RegExp(`^Bearer realm="${REALM}", error="${bearerError}", error_description="[^"\\\\]*"${stepUp}$`),
    );
  } else if (status === 401) {
    expect(challenge).toBe(`Bearer realm="${REALM}"`);
  } else {
    expect(challenge).toBeUndefined();
  }
  return body;
}

/** Headers that legitimately differ between two otherwise identical responses. */
export function comparableHeaders(response: LightMyRequestResponse): Record<string, unknown> {
  const { date: _date, ...rest } = response.headers;
  return rest;
}

export function findCookie(response: LightMyRequestResponse, name: string) {
  return response.cookies.find((cookie) => cookie.name === name);
}
