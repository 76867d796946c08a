import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateKey } from '../../../../src/keys/generate-key.js';
import { KeyRing } from '../../../../src/keys/keyring.js';
import {
  ACCESS_TOKEN_TYP,
  createAccessTokenService,
  FIRST_PARTY_CLIENT_ID,
  type AccessTokenClaims,
} from '../../../../src/flows/sessions/access-tokens.js';
import { toNumericDate } from '../../../../src/platform/clock.js';
import type { SessionRecord, UserRecord } from '../../../../src/stores/types.js';
import type { TokenErrorCode } from '../../../../src/errors.js';
import { signJwt } from '../../../../src/token/jwt-sign.js';
import { TokenError } from '../../../../src/token/errors.js';
import { createSeededRandom, type TestDeps } from '../../../helpers/test-deps.js';
import { depsOn, registerUser } from '../fixtures.js';

function decodePart(token: string, index: 0 | 1): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

function tokenError(fn: () => unknown, code: TokenErrorCode, claim?: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TokenError);
  expect((caught as TokenError).code).toBe(code);
  if (claim !== undefined) expect((caught as TokenError).claim).toBe(claim);
}

describe('access tokens (RFC 9068 profile)', () => {
  let deps: TestDeps;
  let user: UserRecord;
  let session: SessionRecord;

  beforeEach(async () => {
    deps = await depsOn('memory');
    const pair = await registerUser(deps);
    await deps.stores.users.update(pair.user.id, { roles: ['admin', 'editor'], updatedAt: deps.clock.now() });
    user = (await deps.stores.users.findById(pair.user.id))!;
    session = (await deps.stores.sessions.findById(pair.sessionId))!;
    deps.clock.advanceSeconds(90); // auth_time (session start) and iat differ
  });
  afterEach(async () => {
    await deps.stores.close();
  });

  const issue = () => deps.accessTokens.issue(user, session, deps.clock.now());
  /** A token with the service's header and the given claims, signed with the real key. */
  const forge = (
    patch: Record<string, unknown>,
    typ: string | null = ACCESS_TOKEN_TYP,
    remove: string[] = [],
  ) => {
    const claims: Record<string, unknown> = { ...issue().claims, ...patch };
    for (const name of remove) delete claims[name];
    return signJwt(claims as AccessTokenClaims, deps.keys.signingKey, typ === null ? {} : { typ });
  };
  const verify = (token: string, now = deps.clock.now()) => deps.accessTokens.verify(token, now);

  it('header: typ at+jwt, the signing key’s alg and kid', () => {
    const { token } = issue();
    expect(decodePart(token, 0)).toEqual({ alg: 'ES256', kid: deps.keys.signingKey.kid, typ: 'at+jwt' });
  });

  it('claims: iss, sub, aud, exp = iat + ttl, iat, jti, sid, client_id, auth_time, roles, email_verified, and nothing else', () => {
    const now = deps.clock.now();
    const { token, expiresIn, claims } = issue();
    const iat = toNumericDate(now);
    const expected = {
      iss: deps.config.issuer,
      sub: user.id,
      aud: deps.config.audience,
      exp: iat + deps.config.accessTokenTtlSeconds,
      iat,
      jti: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      sid: session.id,
      client_id: FIRST_PARTY_CLIENT_ID,
      auth_time: toNumericDate(session.createdAt),
      // How the session was signed in (migration 008): a password alone.
      amr: ['pwd'],
      acr: 'urn:tessera:acr:1fa',
      roles: ['admin', 'editor'],
      email_verified: false,
    };
    expect(decodePart(token, 1)).toEqual(expected);
    expect(claims).toEqual(expected);
    expect(expiresIn).toBe(deps.config.accessTokenTtlSeconds);
    expect(claims.auth_time).toBe(iat - 90);
    // No personal data: the e-mail is not a claim.
    expect(token.includes(Buffer.from(user.email).toString('base64url'))).toBe(false);
  });

  it('iat is a whole number of seconds, rounded down', () => {
    deps.clock.advanceSeconds(0.999);
    const { claims } = issue();
    expect(claims.iat).toBe(toNumericDate(deps.clock.now()));
    expect(Number.isInteger(claims.iat)).toBe(true);
  });

  it('the lifetime follows the configuration', async () => {
    const short = await depsOn('memory', { accessTokenTtlSeconds: 60 });
    const { claims, expiresIn } = short.accessTokens.issue(user, session, short.clock.now());
    expect(claims.exp - claims.iat).toBe(60);
    expect(expiresIn).toBe(60);
  });

  it('jti is unique per token', () => {
    const ids = new Set(Array.from({ length: 50 }, () => issue().claims.jti));
    expect(ids.size).toBe(50);
  });

  it('roles are copied, not shared with the user record', () => {
    const { claims } = issue();
    user.roles.push('intruder');
    expect(claims.roles).toEqual(['admin', 'editor']);
  });

  it('verify() round-trips the claims', () => {
    const { token, claims } = issue();
    expect(verify(token)).toEqual(claims);
  });

  it('verify() honours exp with the configured clock tolerance', () => {
    const { token, claims } = issue();
    const tolerance = deps.config.clockToleranceSeconds;
    const at = (seconds: number) => new Date(seconds * 1000);
    expect(verify(token, at(claims.exp + tolerance - 1)).sub).toBe(user.id);
    tokenError(() => verify(token, at(claims.exp + tolerance)), 'token_expired');
    // A fresh verifier (no cache) says the same.
    const fresh = createAccessTokenService(deps.keys, deps.config, createSeededRandom());
    tokenError(() => fresh.verify(token, at(claims.exp + tolerance)), 'token_expired');
  });

  describe('verify() rejects', () => {
    it.each<[string, unknown]>([
      ['a string', 'admin'],
      ['null', null],
      ['an object', { admin: true }],
      ['a number', 1],
      ['an array with a non-string', ['admin', 7]],
      ['an array with null', [null]],
      ['an array with a nested array', [['admin']]],
    ])('roles that are %s', (_name, roles) => {
      tokenError(() => verify(forge({ roles })), 'token_claim_invalid', 'roles');
    });

    it('a missing roles claim', () => {
      tokenError(() => verify(forge({}, ACCESS_TOKEN_TYP, ['roles'])), 'token_claim_invalid', 'roles');
    });

    it.each<[string, unknown]>([
      ['empty', ''],
      ['a number', 42],
      ['null', null],
      ['an array', ['s1']],
    ])('a sid that is %s', (_name, sid) => {
      tokenError(() => verify(forge({ sid })), 'token_claim_invalid', 'sid');
    });

    it.each<string>(['sid', 'sub', 'jti', 'iat'])('a missing %s claim', (name) => {
      tokenError(() => verify(forge({}, ACCESS_TOKEN_TYP, [name])), 'token_claim_invalid', name);
    });

    it.each<[string, string | null]>([
      ['no typ', null],
      ['typ JWT', 'JWT'],
      ['typ application/jwt', 'application/jwt'],
      ['typ at+jwt with a suffix', 'at+jwt2'],
    ])('%s (an ID token or another JWT is not an access token)', (_name, typ) => {
      tokenError(() => verify(forge({}, typ)), 'token_claim_invalid', 'typ');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['another issuer', { iss: 'https://evil.example' }, 'iss'],
      ['another audience', { aud: 'someone-else' }, 'aud'],
      ['an audience array without ours', { aud: ['a', 'b'] }, 'aud'],
    ])('%s', (_name, patch, claim) => {
      tokenError(() => verify(forge(patch)), 'token_claim_invalid', claim);
    });

    it('an iat in the future beyond the tolerance', () => {
      const now = toNumericDate(deps.clock.now());
      tokenError(
        () => verify(forge({ iat: now + deps.config.clockToleranceSeconds + 1 })),
        'token_not_yet_valid',
      );
    });

    it('a token signed by a key that is not in the ring', () => {
      const stranger = generateKey('ES256', { kid: 'stranger' });
      const token = signJwt(issue().claims, stranger, { typ: ACCESS_TOKEN_TYP });
      tokenError(() => verify(token), 'key_not_found');
    });

    it('a token signed by another key under our kid', () => {
      const impostor = generateKey('ES256', { kid: deps.keys.signingKey.kid });
      const token = signJwt(issue().claims, impostor, { typ: ACCESS_TOKEN_TYP });
      tokenError(() => verify(token), 'token_signature_invalid');
    });

    it('a payload changed after signing (roles escalated)', () => {
      const { token } = issue();
      const [header, , signature] = token.split('.');
      const payload = Buffer.from(
        JSON.stringify({ ...decodePart(token, 1), roles: ['admin', 'root'] }),
      ).toString('base64url');
      tokenError(() => verify(`${header}.${payload}.${signature}`), 'token_signature_invalid');
    });

    it('garbage', () => {
      tokenError(() => verify('not.a.token'), 'token_malformed');
      tokenError(() => verify(''), 'token_malformed');
    });
  });

  it('a service over another ring does not accept our tokens', () => {
    const other = createAccessTokenService(
      new KeyRing([generateKey('ES256', { kid: 'x' })]),
      deps.config,
      createSeededRandom(),
    );
    tokenError(() => other.verify(issue().token, deps.clock.now()), 'key_not_found');
  });
});
