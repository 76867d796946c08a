import { describe, expect, it } from 'vitest';
import { exportPublicJwk } from '../../../src/keys/jwk.js';
import { buildJwks } from '../../../src/keys/jwks.js';
import { requireRoles, requireScopes } from '../../../src/verify/claim-requirements.js';
import { createVerifier } from '../../../src/verify/create-verifier.js';
import { AUDIENCE, badTokens, ISSUER, mint, newKey, rejection, testClock } from './verify-kit.js';

describe('createVerifier', () => {
  const clock = testClock();
  const key = newKey('ES256', 'k1');
  const verifier = createVerifier({
    keys: buildJwks([key]),
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['ES256'],
    clock,
  });

  it('verifies a good token and returns its claims', async () => {
    await expect(verifier.verify(mint(key, clock.now()))).resolves.toMatchObject({
      iss: ISSUER,
      sub: 'user-1',
      sid: 'session-1',
      roles: ['user'],
    });
  });

  it.each(badTokens(key, clock.now()))('refuses a token that is %s', async (_name, token, code) => {
    const error = await rejection(verifier.verify(token));
    expect(error.code).toBe(code);
    expect(error.message).not.toContain(token);
  });

  it('refuses a non-string token', async () => {
    expect((await rejection(verifier.verify(42))).code).toBe('token_malformed');
  });

  it('takes static keys as a JWK, a KeyObject (one allowed alg) or a list', async () => {
    const token = mint(key, clock.now());
    const base = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'] as const, clock };
    for (const keys of [exportPublicJwk(key), key.verificationKey, [exportPublicJwk(key)]]) {
      await expect(createVerifier({ ...base, keys }).verify(token)).resolves.toMatchObject({ sub: 'user-1' });
    }
  });

  it('refuses ambiguous or missing key configuration as programmer errors', () => {
    const base = { issuer: ISSUER, audience: AUDIENCE, clock };
    expect(() =>
      createVerifier({ ...base, algorithms: ['ES256', 'RS256'], keys: key.verificationKey }),
    ).toThrow(/exactly one allowed algorithm/);
    expect(() => createVerifier({ ...base, algorithms: ['ES256'] })).toThrow(/exactly one of/);
    expect(() =>
      createVerifier({ ...base, algorithms: ['ES256'], keys: buildJwks([key]), jwksUri: 'https://x/jwks' }),
    ).toThrow(/exactly one of/);
    expect(() => createVerifier({ ...base, algorithms: [], keys: buildJwks([key]) })).toThrow(/allow-list/);
    expect(() => createVerifier({ ...base, algorithms: ['ES256'], keys: [] })).toThrow(/at least one/);
  });
});

describe('requireRoles / requireScopes', () => {
  const claims = { roles: ['user', 'admin'], scope: 'read write' };

  it('pass when every role or scope asked for is held', () => {
    expect(() => requireRoles(claims, ['admin'])).not.toThrow();
    expect(() => requireRoles(claims, [])).not.toThrow();
    expect(() => requireScopes(claims, ['read', 'write'])).not.toThrow();
  });

  it.each([
    ['a missing role', () => requireRoles(claims, ['owner'])],
    ['one missing role among several', () => requireRoles(claims, ['admin', 'owner'])],
    ['roles that are not an array', () => requireRoles({ roles: 'admin' }, ['admin'])],
    ['no roles claim', () => requireRoles({}, ['admin'])],
    ['a missing scope', () => requireScopes(claims, ['delete'])],
    ['a scope given as an array', () => requireScopes({ scope: ['read'] }, ['read'])],
    ['a scope that is a prefix of a held one', () => requireScopes({ scope: 'reader' }, ['read'])],
  ])('throw insufficient_scope for %s', (_name, check) => {
    expect(check).toThrow(expect.objectContaining({ code: 'insufficient_scope' }));
  });
});
