/**
 * Shared helpers of the tessera/verify tests: a fixed clock, a fake JWKS endpoint behind an injected
 * fetch that counts requests, and a minter of access tokens.
 */
import { createHmac } from 'node:crypto';
import { generateKey } from '../../../src/keys/generate-key.js';
import { exportPublicJwk } from '../../../src/keys/jwk.js';
import { buildJwks } from '../../../src/keys/jwks.js';
import { createFixedClock } from '../../../src/platform/clock.js';
import type { JwsAlgorithm } from '../../../src/token/algorithms.js';
import type { JwtClaims } from '../../../src/token/claims.js';
import type { JwsKey } from '../../../src/token/key.js';
import { signJwt } from '../../../src/token/jwt-sign.js';

export const ISSUER = 'https://auth.example.com';
export const AUDIENCE = 'https://api.example.com';
export const JWKS_URL = `${ISSUER}/.well-known/jwks.json`;
export const START = new Date('2026-01-15T10:00:00Z');

export function testClock() {
  return createFixedClock(START);
}

export function newKey(alg: JwsAlgorithm = 'ES256', kid?: string): JwsKey {
  return generateKey(alg, kid === undefined ? {} : { kid });
}

/** An access token as Tessera mints it, with any claim overridden (undefined removes it; typ null: none). */
export function mint(
  key: JwsKey,
  now: Date,
  overrides: Record<string, unknown> = {},
  typ: string | null = 'at+jwt',
): string {
  const iat = Math.floor(now.getTime() / 1000);
  const claims: Record<string, unknown> = {
    iss: ISSUER,
    sub: 'user-1',
    aud: AUDIENCE,
    iat,
    exp: iat + 900,
    jti: 'jti-1',
    sid: 'session-1',
    roles: ['user'],
    scope: 'read write',
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return signJwt(claims as unknown as JwtClaims, key, typ === null ? {} : { typ });
}

export interface FakeEndpoint {
  fetch: typeof fetch;
  /** Requests received so far. */
  calls: number;
  keys: JwsKey[];
  cacheControl: string | null;
  /** When set, the next answers are this instead of the key set. */
  override: (() => Response | Promise<Response>) | undefined;
}

/** A JWKS endpoint: answers the current `keys` with `cacheControl`, or `override` when set. */
export function fakeJwksEndpoint(
  keys: JwsKey[],
  cacheControl: string | null = 'public, max-age=300',
): FakeEndpoint {
  const endpoint: FakeEndpoint = {
    calls: 0,
    keys,
    cacheControl,
    override: undefined,
    fetch: (async (input: string | URL | Request) => {
      endpoint.calls++;
      if (String(input) !== JWKS_URL) return new Response('not found', { status: 404 });
      if (endpoint.override !== undefined) return endpoint.override();
      const headers: Record<string, string> = { 'content-type': 'application/jwk-set+json' };
      if (endpoint.cacheControl !== null) headers['cache-control'] = endpoint.cacheControl;
      return new Response(JSON.stringify(buildJwks(endpoint.keys)), { status: 200, headers });
    }) as typeof fetch,
  };
  return endpoint;
}

/** Awaits a promise expected to reject and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a rejection, but the promise resolved');
}

const b64 = (value: object | string) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Every kind of bad token the verifier must refuse, with the code it must refuse it with. */
export function badTokens(key: ReturnType<typeof newKey>, now: Date): [string, string, string][] {
  const good = mint(key, now);
  const [header, payload, signature] = good.split('.') as [string, string, string];
  const otherKeySameKid = newKey('ES256', key.kid);
  const nowS = Math.floor(now.getTime() / 1000);
  const hmacWithPublicKey = (() => {
    const h = b64({ alg: 'HS256', kid: key.kid, typ: 'at+jwt' });
    const p = b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x', exp: nowS + 60 });
    const secret = JSON.stringify(exportPublicJwk(key));
    return `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
  })();
  return [
    [
      'forged (signed by another key under the same kid)',
      mint(otherKeySameKid, now),
      'token_signature_invalid',
    ],
    [
      'tampered payload',
      `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['admin'] })}.${signature}`,
      'token_signature_invalid',
    ],
    ['expired', mint(key, now, { iat: nowS - 1000, exp: nowS - 31 }), 'token_expired'],
    ['wrong issuer', mint(key, now, { iss: 'https://evil.example.com' }), 'token_claim_invalid'],
    ['wrong audience', mint(key, now, { aud: 'https://other.example.com' }), 'token_claim_invalid'],
    ['alg not allowed (HS256 signed with the public key)', hmacWithPublicKey, 'token_alg_not_allowed'],
    ['alg none', `${b64({ alg: 'none', kid: key.kid, typ: 'at+jwt' })}.${payload}.`, 'token_alg_not_allowed'],
    ['typ mismatch (JWT instead of at+jwt)', mint(key, now, {}, 'JWT'), 'token_claim_invalid'],
    ['typ missing', mint(key, now, {}, null), 'token_claim_invalid'],
    ['not a JWS', 'not-a-token', 'token_malformed'],
    ['no sub', mint(key, now, { sub: undefined }), 'token_claim_invalid'],
  ];
}

/** What a refusal must look like on the wire: status, RFC 6750 challenge, problem body with `code`. */
export const EXPECTED_ANSWER: Record<string, { status: number; bearerError: string | null }> = {
  token_signature_invalid: { status: 401, bearerError: 'invalid_token' },
  token_expired: { status: 401, bearerError: 'invalid_token' },
  token_claim_invalid: { status: 401, bearerError: 'invalid_token' },
  token_alg_not_allowed: { status: 401, bearerError: 'invalid_token' },
  token_malformed: { status: 401, bearerError: 'invalid_token' },
  session_revoked: { status: 401, bearerError: 'invalid_token' },
  insufficient_scope: { status: 403, bearerError: 'insufficient_scope' },
  invalid_request: { status: 400, bearerError: 'invalid_request' },
  unauthenticated: { status: 401, bearerError: null },
};
