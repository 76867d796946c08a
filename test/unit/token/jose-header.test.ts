import { describe, expect, it } from 'vitest';
import { JWS_ALGORITHMS, type JwsAlgorithm } from '../../../src/token/algorithms.js';
import { checkProtectedHeader, MAX_KID_LENGTH, normalizeMediaType } from '../../../src/token/jose-header.js';
import { expectTokenError } from '../../helpers/token-kit.js';

const ALL = new Set<JwsAlgorithm>(JWS_ALGORITHMS);

describe('checkProtectedHeader', () => {
  it('returns a valid header as is, keeping unknown members', () => {
    const header = { alg: 'ES256', kid: 'k1', typ: 'at+jwt', x: 1, jku: 'https://attacker.example/jwks' };
    expect(checkProtectedHeader(header, ALL)).toBe(header);
  });

  it.each(JWS_ALGORITHMS)('accepts %s when allowed', (alg) => {
    expect(checkProtectedHeader({ alg }, new Set([alg])).alg).toBe(alg);
  });

  it.each([
    ['missing', {}],
    ['a number', { alg: 256 }],
    ['null', { alg: null }],
    ['an array', { alg: ['HS256'] }],
    ['an object', { alg: { name: 'HS256' } }],
  ])('refuses an "alg" that is %s (token_malformed)', (_name, header) => {
    expectTokenError(() => checkProtectedHeader(header, ALL), 'token_malformed', { claim: 'alg' });
  });

  it.each([
    'none',
    'None',
    'NONE',
    'nOnE',
    'hs256',
    'Hs256',
    'HS256 ',
    ' HS256',
    'HS1',
    'RS1',
    'ES256K',
    'Ed25519',
    'EdDSA\u0000',
    'RSA-OAEP',
    'dir',
    'A256GCM',
    '',
    'toString',
    '__proto__',
    'constructor',
    'hasOwnProperty',
  ])('refuses alg %j (token_alg_not_allowed)', (alg) => {
    expectTokenError(() => checkProtectedHeader({ alg }, ALL), 'token_alg_not_allowed', { claim: 'alg' });
  });

  it('refuses a supported algorithm outside the allowlist', () => {
    expectTokenError(
      () => checkProtectedHeader({ alg: 'HS256' }, new Set(['ES256'])),
      'token_alg_not_allowed',
    );
    expectTokenError(
      () => checkProtectedHeader({ alg: 'RS256' }, new Set(['PS256'])),
      'token_alg_not_allowed',
    );
  });

  it.each([
    ['an unknown extension', ['exp']],
    ['b64', ['b64']],
    ['an empty list', []],
    ['null', null],
    ['a string', 'b64'],
    ['false', false],
  ])('refuses "crit" when it is %s', (_name, crit) => {
    expectTokenError(
      () => checkProtectedHeader({ alg: 'HS256', crit, b64: true }, ALL),
      'token_crit_unsupported',
      {
        claim: 'crit',
      },
    );
  });

  it.each([
    ['false', false],
    ['null', null],
    ['the string "false"', 'false'],
    ['0', 0],
    ['the string "true"', 'true'],
  ])('refuses "b64" when it is %s', (_name, b64) => {
    expectTokenError(() => checkProtectedHeader({ alg: 'HS256', b64 }, ALL), 'token_crit_unsupported', {
      claim: 'b64',
    });
  });

  it('accepts "b64": true (the default encoding)', () => {
    expect(() => checkProtectedHeader({ alg: 'HS256', b64: true }, ALL)).not.toThrow();
  });

  it.each([
    ['a number', 12],
    ['null', null],
    ['an array', ['k1']],
    ['an object', { id: 'k1' }],
    ['empty', ''],
    ['one character too long', 'k'.repeat(MAX_KID_LENGTH + 1)],
    ['10 KB long', 'k'.repeat(10 * 1024)],
  ])('refuses a "kid" that is %s', (_name, kid) => {
    const error = expectTokenError(
      () => checkProtectedHeader({ alg: 'HS256', kid }, ALL),
      'token_malformed',
      {
        claim: 'kid',
      },
    );
    if (typeof kid === 'string' && kid.length > 0) expect(error.message).not.toContain(kid);
  });

  it(`accepts a "kid" of exactly ${MAX_KID_LENGTH} characters`, () => {
    expect(() => checkProtectedHeader({ alg: 'HS256', kid: 'k'.repeat(MAX_KID_LENGTH) }, ALL)).not.toThrow();
  });

  it.each([
    ['a number', 1],
    ['null', null],
    ['an array', ['JWT']],
    ['an object', {}],
  ])('refuses a "typ" that is %s', (_name, typ) => {
    expectTokenError(() => checkProtectedHeader({ alg: 'HS256', typ }, ALL), 'token_malformed', {
      claim: 'typ',
    });
  });

  it('checks alg before crit, crit before kid', () => {
    expectTokenError(
      () => checkProtectedHeader({ alg: 'none', crit: ['x'], kid: 1 }, ALL),
      'token_alg_not_allowed',
    );
    expectTokenError(
      () => checkProtectedHeader({ alg: 'HS256', crit: ['x'], kid: 1 }, ALL),
      'token_crit_unsupported',
    );
  });
});

describe('normalizeMediaType', () => {
  it.each([
    ['JWT', 'jwt'],
    ['at+jwt', 'at+jwt'],
    ['AT+JWT', 'at+jwt'],
    ['application/at+jwt', 'at+jwt'],
    ['Application/AT+JWT', 'at+jwt'],
    ['application/', ''],
    ['text/plain', 'text/plain'],
    ['xapplication/jwt', 'xapplication/jwt'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeMediaType(input)).toBe(expected);
  });
});
