import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import { TokenError } from '../../../src/token/errors.js';
import type { JwsKey } from '../../../src/token/key.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { createJwtVerifier, verifyJwt, type VerifyJwtOptions } from '../../../src/token/jwt-verify.js';
import { at, expectTokenError, NOW, NOW_S, signRaw } from '../../helpers/token-kit.js';

let key: JwsKey;
let ring: KeyRing;

beforeAll(() => {
  key = generateKey('ES256', { kid: 'es-1' });
  ring = new KeyRing([key, generateKey('HS256', { kid: 'hs-1' })]);
});

const token = (claims: Record<string, unknown> = {}, typ?: string) =>
  signJwt({ exp: NOW_S + 60, ...claims }, key, typ === undefined ? {} : { typ });
const verify = (t: unknown, options: VerifyJwtOptions = {}) => verifyJwt(t, ring, { now: NOW, ...options });

describe('verifyJwt', () => {
  it('returns the header and the claims of a valid token', () => {
    const result = verify(token({ sub: 'u1', scope: 'read' }, 'at+jwt'));
    expect(result.header).toEqual({ alg: 'ES256', kid: 'es-1', typ: 'at+jwt' });
    expect(result.payload).toEqual({ exp: NOW_S + 60, sub: 'u1', scope: 'read' });
  });

  it('returns a deeply frozen payload', () => {
    const { payload } = verify(token({ nested: { list: [{ a: 1 }] } }));
    expect(Object.isFrozen(payload)).toBe(true);
    const nested = payload.nested as { list: { a: number }[] };
    expect(Object.isFrozen(nested)).toBe(true);
    expect(Object.isFrozen(nested.list)).toBe(true);
    expect(Object.isFrozen(nested.list[0])).toBe(true);
    expect(() => {
      (payload as Record<string, unknown>).sub = 'admin';
    }).toThrow(TypeError);
  });

  it('accepts a single key instead of a lookup', () => {
    expect(verifyJwt(token(), key, { now: NOW }).payload.exp).toBe(NOW_S + 60);
    const other = generateKey('ES256', { kid: 'es-2' });
    expectTokenError(() => verifyJwt(token(), other, { now: NOW }), 'key_not_found');
  });

  it('uses the system clock when no time is given', () => {
    const farFuture = signJwt({ exp: 4_102_444_800 }, key); // 2100-01-01
    expect(() => verifyJwt(farFuture, ring)).not.toThrow();
    expectTokenError(() => verifyJwt(token(), ring), 'token_expired'); // exp in 2025
  });

  describe('order: the signature is checked before any claim is read', () => {
    it.each([
      ['expired', { exp: NOW_S - 3600 }],
      ['not yet valid', { nbf: NOW_S + 3600 }],
      ['a non-numeric exp', { exp: 'soon' }],
      ['a wrong issuer', { iss: 'https://evil.example' }],
    ])('reports a bad signature on a token that is also %s', (_name, claims) => {
      const t = signRaw({ alg: 'ES256', kid: 'es-1' }, { exp: NOW_S + 60, ...claims }, key);
      const tampered = `${t.slice(0, t.lastIndexOf('.'))}.${'A'.repeat(86)}`;
      expectTokenError(
        () => verify(tampered, { issuer: 'https://tessera.example' }),
        'token_signature_invalid',
      );
    });

    it('reports a bad signature on a payload that is not even JSON', () => {
      const t = signRaw({ alg: 'ES256', kid: 'es-1' }, 'not json', key);
      expect(() => verify(t)).toThrow(expect.objectContaining({ code: 'token_malformed' }));
      const forged = `${t.slice(0, t.lastIndexOf('.'))}.${'A'.repeat(86)}`;
      expectTokenError(() => verify(forged), 'token_signature_invalid');
    });
  });

  describe('payload', () => {
    it.each([
      ['an array', '[{"exp":9999999999}]'],
      ['a number', '9999999999'],
      ['a string', '"exp"'],
      ['null', 'null'],
      ['not JSON', '{exp:9999999999}'],
      ['a duplicate exp', '{"exp":1,"exp":9999999999}'],
      ['an escaped-equal duplicate', '{"exp":9999999999,"\\u0065xp":1}'],
      ['a nested duplicate', '{"exp":9999999999,"a":{"b":1,"b":2}}'],
      ['a __proto__ member', '{"exp":9999999999,"__proto__":{"admin":true}}'],
      ['nested 40 levels deep', `{"exp":9999999999,"a":${'['.repeat(40)}${']'.repeat(40)}}`],
    ])('refuses a validly signed payload that is %s', (_name, payload) => {
      expectTokenError(() => verify(signRaw({ alg: 'ES256', kid: 'es-1' }, payload, key)), 'token_malformed');
    });

    it('refuses a validly signed payload that is not UTF-8', () => {
      const bytes = Buffer.concat([
        Buffer.from('{"exp":9999999999,"n":"'),
        Buffer.from([0xff]),
        Buffer.from('"}'),
      ]);
      expectTokenError(() => verify(signRaw({ alg: 'ES256', kid: 'es-1' }, bytes, key)), 'token_malformed');
    });
  });

  describe('claims', () => {
    it.each([
      ['exp missing', {}, {}, 'token_claim_invalid'],
      ['exp a string', { exp: `${NOW_S + 60}` }, {}, 'token_claim_invalid'],
      ['exp exactly now, tolerance 0', { exp: NOW_S }, { clockToleranceSeconds: 0 }, 'token_expired'],
      ['exp 30 s ago with the default tolerance', { exp: NOW_S - 30 }, {}, 'token_expired'],
      ['nbf a string', { exp: NOW_S + 60, nbf: 'x' }, {}, 'token_claim_invalid'],
      ['nbf beyond the tolerance', { exp: NOW_S + 60, nbf: NOW_S + 31 }, {}, 'token_not_yet_valid'],
      ['iat null', { exp: NOW_S + 60, iat: null }, {}, 'token_claim_invalid'],
      ['iat in the future', { exp: NOW_S + 60, iat: NOW_S + 31 }, {}, 'token_not_yet_valid'],
      ['iat too old', { exp: NOW_S + 60, iat: NOW_S - 100 }, { maxTokenAgeSeconds: 60 }, 'token_expired'],
      [
        'iat missing with maxTokenAgeSeconds',
        { exp: NOW_S + 60 },
        { maxTokenAgeSeconds: 60 },
        'token_claim_invalid',
      ],
      ['iss wrong', { exp: NOW_S + 60, iss: 'b' }, { issuer: 'a' }, 'token_claim_invalid'],
      ['iss missing', { exp: NOW_S + 60 }, { issuer: ['a', 'b'] }, 'token_claim_invalid'],
      ['aud wrong', { exp: NOW_S + 60, aud: 'web' }, { audience: 'api' }, 'token_claim_invalid'],
      [
        'aud with a non-string member',
        { exp: NOW_S + 60, aud: ['api', 7] },
        { audience: 'api' },
        'token_claim_invalid',
      ],
      ['aud an empty array', { exp: NOW_S + 60, aud: [] }, {}, 'token_claim_invalid'],
      ['a required claim missing', { exp: NOW_S + 60 }, { requiredClaims: ['sub'] }, 'token_claim_invalid'],
      ['typ missing when required', { exp: NOW_S + 60 }, { typ: 'at+jwt' }, 'token_claim_invalid'],
    ] as const)('refuses %s', (_name, claims, options, code) => {
      const t = signRaw({ alg: 'ES256', kid: 'es-1' }, claims, key);
      expectTokenError(() => verify(t, options), code);
    });

    it.each([
      ['exp 29 s ago with the default tolerance', { exp: NOW_S - 29 }, {}],
      ['exp one second ahead, tolerance 0', { exp: NOW_S + 1 }, { clockToleranceSeconds: 0 }],
      ['exp 300 s ago with tolerance 300', { exp: NOW_S - 299 }, { clockToleranceSeconds: 300 }],
      ['any of several issuers', { exp: NOW_S + 60, iss: 'b' }, { issuer: ['a', 'b'] }],
      ['one of several audiences', { exp: NOW_S + 60, aud: ['x', 'api'] }, { audience: ['api', 'web'] }],
      ['a present required claim', { exp: NOW_S + 60, sub: 'u' }, { requiredClaims: ['sub'] }],
      ['an iat within the maximum age', { exp: NOW_S + 60, iat: NOW_S - 60 }, { maxTokenAgeSeconds: 60 }],
    ] as const)('accepts %s', (_name, claims, options) => {
      const t = signRaw({ alg: 'ES256', kid: 'es-1' }, claims, key);
      expect(() => verify(t, options)).not.toThrow();
    });

    it.each([
      ['at+jwt', 'at+jwt', true],
      ['AT+JWT', 'at+jwt', true],
      ['application/at+jwt', 'at+jwt', true],
      ['at+jwt', 'application/AT+JWT', true],
      ['JWT', 'at+jwt', false],
      ['at+jwt', 'JWT', false],
    ])('typ %j against expected %j: accepted = %s', (typ, expected, ok) => {
      const run = () => verify(token({}, typ), { typ: expected });
      if (ok) expect(run).not.toThrow();
      else expectTokenError(run, 'token_claim_invalid', { claim: 'typ' });
    });
  });

  describe('options (programmer errors throw TypeError before the token is looked at)', () => {
    it.each([
      ['clockToleranceSeconds 301', { clockToleranceSeconds: 301 }],
      ['clockToleranceSeconds -1', { clockToleranceSeconds: -1 }],
      ['clockToleranceSeconds NaN', { clockToleranceSeconds: NaN }],
      ['clockToleranceSeconds Infinity', { clockToleranceSeconds: Infinity }],
      ['empty algorithms', { algorithms: [] }],
      ['algorithms with "none"', { algorithms: ['none'] }],
      ['algorithms with a lower-case name', { algorithms: ['ES256', 'hs256'] }],
      ['maxTokenBytes 63', { maxTokenBytes: 63 }],
      ['maxTokenBytes 1000.5', { maxTokenBytes: 1000.5 }],
      ['maxTokenBytes NaN', { maxTokenBytes: NaN }],
      ['maxTokenAgeSeconds 0', { maxTokenAgeSeconds: 0 }],
      ['maxTokenAgeSeconds -5', { maxTokenAgeSeconds: -5 }],
      ['maxTokenAgeSeconds NaN', { maxTokenAgeSeconds: NaN }],
      ['maxTokenAgeSeconds Infinity', { maxTokenAgeSeconds: Infinity }],
      ['an empty issuer', { issuer: '' }],
      ['an empty issuer list', { issuer: [] }],
      ['an issuer list with an empty string', { issuer: ['a', ''] }],
      ['an issuer list with a number', { issuer: ['a', 1] }],
      ['an empty audience', { audience: '' }],
      ['an empty audience list', { audience: [] }],
      ['an audience list with an empty string', { audience: [''] }],
    ])('%s', (_name, options) => {
      const valid = token();
      expect(() => verify(valid, options as VerifyJwtOptions)).toThrow(TypeError);
      expect(() => verify(valid, options as VerifyJwtOptions)).not.toThrow(TokenError);
      expect(() => createJwtVerifier(ring, options as VerifyJwtOptions)).toThrow(TypeError);
    });

    it.each([
      ['clockToleranceSeconds 0', { clockToleranceSeconds: 0 }],
      ['clockToleranceSeconds 300', { clockToleranceSeconds: 300 }],
      ['maxTokenBytes 64', { maxTokenBytes: 64 }],
      ['one algorithm', { algorithms: ['ES256'] }],
    ] as const)('accepts %s', (_name, options) => {
      expect(() => createJwtVerifier(ring, options)).not.toThrow();
    });

    it('applies the algorithm allowlist even when the keyring has the key', () => {
      expectTokenError(() => verify(token(), { algorithms: ['HS256', 'EdDSA'] }), 'token_alg_not_allowed');
    });

    it('applies maxTokenBytes', () => {
      expectTokenError(() => verify(token(), { maxTokenBytes: 64 }), 'token_too_large');
    });
  });
});

describe('createJwtVerifier (without a cache)', () => {
  it('verifies like verifyJwt, at the given time', () => {
    const verifier = createJwtVerifier(ring, { audience: 'api', clockToleranceSeconds: 0 });
    const t = token({ aud: 'api' });
    expect(verifier.verify(t, NOW).payload.aud).toBe('api');
    expectTokenError(() => verifier.verify(t, at(60)), 'token_expired');
    expectTokenError(() => verifier.verify(token({ aud: 'web' }), NOW), 'token_claim_invalid');
    expectTokenError(() => verifier.verify(42, NOW), 'token_malformed');
    expect(() => verifier.clearCache()).not.toThrow();
  });

  it('does not let a memoised header skip the allowlist or the key binding', () => {
    const verifier = createJwtVerifier(ring, { algorithms: ['ES256'] });
    const t = token();
    verifier.verify(t, NOW);
    // Same header segment, other payload, forged signature: memo hit, but the signature still decides.
    const [h] = t.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ exp: NOW_S + 60, sub: 'admin' })).toString('base64url')}.${t.split('.')[2]}`;
    expectTokenError(() => verifier.verify(forged, NOW), 'token_signature_invalid');
    const hs = signJwt({ exp: NOW_S + 60 }, ring.findKey('hs-1', 'HS256')!);
    expectTokenError(() => verifier.verify(hs, NOW), 'token_alg_not_allowed');
    expectTokenError(() => verifier.verify(hs, NOW), 'token_alg_not_allowed');
  });
});
