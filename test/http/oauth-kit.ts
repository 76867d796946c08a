/**
 * Shared helpers of the /oauth/* tests: an app with clients registered by configuration, form posts,
 * and one assertion for RFC 6749 §5.2 error answers.
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ConfiguredClient } from '../../src/config/types.js';
import type { Config } from '../../src/config/types.js';
import { hashClientSecret } from '../../src/flows/oauth/clients.js';
import type { OAuthErrorCode } from '../../src/flows/oauth/oauth-error.js';
import { createTestApp, type TestDeps } from '../helpers/test-deps.js';
import { EMAIL, PASSWORD, registerUser } from './http-kit.js';

export const WEB_SECRET = 'web-secret-0123456789abcdefghijklmnopqrstuvwxyz';
export const OTHER_SECRET = 'other-secret-0123456789abcdefghijklmnopqrstuvwx';

/** A confidential client, another confidential client, a public client, a refresh-only client. */
export const CLIENTS: ConfiguredClient[] = [
  {
    clientId: 'web',
    name: 'Web',
    type: 'confidential',
    secretHash: hashClientSecret(WEB_SECRET),
    grantTypes: ['password', 'refresh_token'],
    scopes: ['billing:read', 'billing:write'],
  },
  {
    clientId: 'other',
    name: 'Other',
    type: 'confidential',
    secretHash: hashClientSecret(OTHER_SECRET),
    grantTypes: ['password', 'refresh_token'],
    scopes: [],
  },
  {
    clientId: 'mobile',
    name: 'Mobile',
    type: 'public',
    secretHash: null,
    grantTypes: ['password', 'refresh_token'],
    scopes: [],
  },
  {
    clientId: 'refresher',
    name: 'Refresh only',
    type: 'public',
    secretHash: null,
    grantTypes: ['refresh_token'],
    scopes: [],
  },
  // Tokens of the first-party /auth/* endpoints are issued to client "tessera" (access-tokens.ts).
  {
    clientId: 'tessera',
    name: 'First party',
    type: 'public',
    secretHash: null,
    grantTypes: ['refresh_token'],
    scopes: [],
  },
];

export async function createOAuthApp(
  config: Partial<Config> = {},
): Promise<{ app: FastifyInstance; deps: TestDeps }> {
  const result = await createTestApp({ config: { oauthClients: CLIENTS, ...config } });
  await registerUser(result.app, EMAIL, PASSWORD);
  return result;
}

export function basic(clientId: string, secret: string): Record<string, string> {
  const encode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');
  return {
    authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}`,
  };
}

export const WEB_AUTH = basic('web', WEB_SECRET);

/** POSTs a form body; `params` may repeat a name by giving an array. */
export function postForm(
  app: FastifyInstance,
  url: string,
  params: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
  }
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form.toString(),
  });
}

export interface OAuthTokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

export async function passwordGrant(
  app: FastifyInstance,
  extra: Record<string, string> = {},
  headers: Record<string, string> = WEB_AUTH,
): Promise<OAuthTokens> {
  const response = await postForm(
    app,
    '/oauth/token',
    { grant_type: 'password', username: EMAIL, password: PASSWORD, ...extra },
    headers,
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json<OAuthTokens>();
}

/** RFC 6749 §5.2: the status, a JSON `{error, error_description}` body (never problem+json), no-store. */
export function expectOAuthError(
  response: LightMyRequestResponse,
  error: OAuthErrorCode,
  status = error === 'invalid_client' ? 401 : 400,
): { error: string; error_description: string } {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers.pragma).toBe('no-cache');
  const body = response.json<{ error: string; error_description: string }>();
  expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
  expect(body.error).toBe(error);
  expect(body.error_description.length).toBeGreaterThan(0);
  expect(response.body).not.toMatch(/at \w+ \(|node_modules|\.ts:\d/);
  return body;
}

/** The payload of a JWS, unverified: for asserting claims Tessera itself signed. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
