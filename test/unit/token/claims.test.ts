import { describe, expect, it } from 'vitest';
import {
  checkClaims,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  type ClaimsPolicy,
} from '../../../src/token/claims.js';
import type { JoseHeader } from '../../../src/token/jose-header.js';
import type { TokenErrorCode } from '../../../src/errors.js';
import { expectTokenError } from '../../helpers/token-kit.js';

const NOW = 1_735_689_600;
const HEADER: JoseHeader = { alg: 'ES256', kid: 'k1', typ: 'at+jwt' };

function policy(overrides: Partial<ClaimsPolicy> = {}): ClaimsPolicy {
  return {
    issuer: undefined,
    audience: undefined,
    typ: undefined,
    clockToleranceSeconds: 0,
    maxTokenAgeSeconds: undefined,
    requiredClaims: [],
    ...overrides,
  };
}

const valid = (extra: Record<string, unknown> = {}) => ({ exp: NOW + 60, ...extra });

describe('checkClaims', () => {
  it('accepts a minimal claim set (exp only)', () => {
    expect(() => checkClaims({ exp: NOW + 1 }, HEADER, policy(), NOW)).not.toThrow();
  });

  it('accepts a full claim set that matches the policy', () => {
    const payload = valid({
      iss: 'https://issuer',
      aud: ['api', 'other'],
      sub: 'u1',
      jti: 'j',
      nbf: NOW,
      iat: NOW,
    });
    const strict = policy({
      issuer: ['https://issuer'],
      audience: ['api'],
      typ: 'at+jwt',
      requiredClaims: ['sub', 'jti'],
    });
    expect(() => checkClaims(payload, HEADER, strict, NOW)).not.toThrow();
  });

  describe('exp', () => {
    it.each([
      ['missing', {}, 'token_claim_invalid'],
      ['a string', { exp: String(NOW + 60) }, 'token_claim_invalid'],
      ['null', { exp: null }, 'token_claim_invalid'],
      ['a boolean', { exp: true }, 'token_claim_invalid'],
      ['an array', { exp: [NOW + 60] }, 'token_claim_invalid'],
      ['an object', { exp: { t: NOW + 60 } }, 'token_claim_invalid'],
      ['Infinity (JSON 1e400)', { exp: Infinity }, 'token_claim_invalid'],
      ['NaN', { exp: NaN }, 'token_claim_invalid'],
      ['exactly now (tolerance 0)', { exp: NOW }, 'token_expired'],
      ['one second ago', { exp: NOW - 1 }, 'token_expired'],
      ['zero', { exp: 0 }, 'token_expired'],
      ['negative', { exp: -1 }, 'token_expired'],
    ] as const)('refuses exp that is %s', (_name, payload, code: TokenErrorCode) => {
      expectTokenError(() => checkClaims({ ...payload }, HEADER, policy(), NOW), code, { claim: 'exp' });
    });

    it('accepts exp one second (or a fraction) in the future', () => {
      expect(() => checkClaims({ exp: NOW + 1 }, HEADER, policy(), NOW)).not.toThrow();
      expect(() => checkClaims({ exp: NOW + 0.5 }, HEADER, policy(), NOW)).not.toThrow();
    });

    it('applies the tolerance: dead at exp + tolerance, alive one second before', () => {
      const tolerant = policy({ clockToleranceSeconds: 30 });
      expect(() => checkClaims({ exp: NOW - 29 }, HEADER, tolerant, NOW)).not.toThrow();
      expectTokenError(() => checkClaims({ exp: NOW - 30 }, HEADER, tolerant, NOW), 'token_expired');
    });
  });

  describe('nbf', () => {
    it.each([
      ['a string', { nbf: 'now' }, 'token_claim_invalid'],
      ['null', { nbf: null }, 'token_claim_invalid'],
      ['a boolean', { nbf: false }, 'token_claim_invalid'],
      ['one second in the future', { nbf: NOW + 1 }, 'token_not_yet_valid'],
    ] as const)('refuses nbf that is %s', (_name, extra, code: TokenErrorCode) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, policy(), NOW), code, { claim: 'nbf' });
    });

    it('accepts nbf equal to now, and up to the tolerance ahead', () => {
      expect(() => checkClaims(valid({ nbf: NOW }), HEADER, policy(), NOW)).not.toThrow();
      const tolerant = policy({ clockToleranceSeconds: 30 });
      expect(() => checkClaims(valid({ nbf: NOW + 30 }), HEADER, tolerant, NOW)).not.toThrow();
      expectTokenError(
        () => checkClaims(valid({ nbf: NOW + 31 }), HEADER, tolerant, NOW),
        'token_not_yet_valid',
      );
    });
  });

  describe('iat', () => {
    it.each([
      ['a string', { iat: '2025-01-01' }, 'token_claim_invalid'],
      ['null', { iat: null }, 'token_claim_invalid'],
      ['an object', { iat: {} }, 'token_claim_invalid'],
      ['in the future', { iat: NOW + 1 }, 'token_not_yet_valid'],
    ] as const)('refuses iat that is %s', (_name, extra, code: TokenErrorCode) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, policy(), NOW), code, { claim: 'iat' });
    });

    it('accepts iat now or in the past, and up to the tolerance ahead', () => {
      expect(() => checkClaims(valid({ iat: NOW }), HEADER, policy(), NOW)).not.toThrow();
      expect(() => checkClaims(valid({ iat: 0 }), HEADER, policy(), NOW)).not.toThrow();
      const tolerant = policy({ clockToleranceSeconds: 30 });
      expect(() => checkClaims(valid({ iat: NOW + 30 }), HEADER, tolerant, NOW)).not.toThrow();
      expectTokenError(
        () => checkClaims(valid({ iat: NOW + 31 }), HEADER, tolerant, NOW),
        'token_not_yet_valid',
      );
    });
  });

  describe('maxTokenAgeSeconds', () => {
    const aged = policy({ maxTokenAgeSeconds: 600 });

    it('requires iat', () => {
      expectTokenError(() => checkClaims(valid(), HEADER, aged, NOW), 'token_claim_invalid', {
        claim: 'iat',
      });
    });

    it('accepts a token exactly at the maximum age and refuses one a second older', () => {
      expect(() => checkClaims(valid({ iat: NOW - 600 }), HEADER, aged, NOW)).not.toThrow();
      expectTokenError(() => checkClaims(valid({ iat: NOW - 601 }), HEADER, aged, NOW), 'token_expired', {
        claim: 'iat',
      });
    });

    it('applies the tolerance to the age', () => {
      const tolerant = policy({ maxTokenAgeSeconds: 600, clockToleranceSeconds: 30 });
      expect(() => checkClaims(valid({ iat: NOW - 630 }), HEADER, tolerant, NOW)).not.toThrow();
      expectTokenError(() => checkClaims(valid({ iat: NOW - 631 }), HEADER, tolerant, NOW), 'token_expired');
    });
  });

  describe('iss', () => {
    const issuer = policy({ issuer: ['https://a.example', 'https://b.example'] });

    it.each([
      ['missing', {}],
      ['another issuer', { iss: 'https://c.example' }],
      ['a different case', { iss: 'HTTPS://A.EXAMPLE' }],
      ['a prefix of an accepted one', { iss: 'https://a.example/x' }],
      ['an empty string', { iss: '' }],
    ])('refuses iss that is %s', (_name, extra) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, issuer, NOW), 'token_claim_invalid', {
        claim: 'iss',
        notInMessage: ['https://c.example'],
      });
    });

    it.each([
      ['a number', { iss: 1 }],
      ['an array', { iss: ['https://a.example'] }],
      ['null', { iss: null }],
    ])('refuses iss that is %s, even without an issuer policy', (_name, extra) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, policy(), NOW), 'token_claim_invalid', {
        claim: 'iss',
      });
      expectTokenError(() => checkClaims(valid(extra), HEADER, issuer, NOW), 'token_claim_invalid', {
        claim: 'iss',
      });
    });

    it('accepts any of the accepted issuers', () => {
      expect(() => checkClaims(valid({ iss: 'https://b.example' }), HEADER, issuer, NOW)).not.toThrow();
    });
  });

  describe('aud', () => {
    const audience = policy({ audience: ['api'] });

    it.each([
      ['an array with a non-string member', { aud: ['api', 1] }],
      ['an array with a null member', { aud: ['api', null] }],
      ['an array with a nested array', { aud: [['api']] }],
      ['an empty array', { aud: [] }],
      ['a number', { aud: 1 }],
      ['an object', { aud: { api: true } }],
      ['null', { aud: null }],
      ['true', { aud: true }],
    ])('refuses aud that is %s, with or without an audience policy', (_name, extra) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, policy(), NOW), 'token_claim_invalid', {
        claim: 'aud',
      });
      expectTokenError(() => checkClaims(valid(extra), HEADER, audience, NOW), 'token_claim_invalid', {
        claim: 'aud',
      });
    });

    it.each([
      ['missing', {}],
      ['another audience', { aud: 'web' }],
      ['an array without it', { aud: ['web', 'admin'] }],
      ['a different case', { aud: 'API' }],
    ])('refuses aud that is %s when an audience is required', (_name, extra) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, audience, NOW), 'token_claim_invalid', {
        claim: 'aud',
      });
    });

    it.each([
      ['a matching string', { aud: 'api' }],
      ['an array containing it', { aud: ['web', 'api'] }],
    ])('accepts %s', (_name, extra) => {
      expect(() => checkClaims(valid(extra), HEADER, audience, NOW)).not.toThrow();
    });

    it('accepts any aud string or string array when no audience is required', () => {
      expect(() => checkClaims(valid({ aud: 'x' }), HEADER, policy(), NOW)).not.toThrow();
      expect(() => checkClaims(valid({ aud: ['x', 'y'] }), HEADER, policy(), NOW)).not.toThrow();
    });
  });

  describe('typ (header)', () => {
    const typed = policy({ typ: 'at+jwt' });

    it.each([
      ['missing', { alg: 'ES256' }],
      ['another type', { alg: 'ES256', typ: 'JWT' }],
      ['a suffix of it', { alg: 'ES256', typ: 'jwt' }],
      ['with another media prefix', { alg: 'ES256', typ: 'text/at+jwt' }],
    ] as const)('refuses typ that is %s', (_name, header) => {
      expectTokenError(() => checkClaims(valid(), header, typed, NOW), 'token_claim_invalid', {
        claim: 'typ',
      });
    });

    it.each(['at+jwt', 'AT+JWT', 'At+Jwt', 'application/at+jwt', 'APPLICATION/AT+JWT'])(
      'accepts typ %j (case-insensitive, "application/" optional)',
      (typ) => {
        expect(() => checkClaims(valid(), { alg: 'ES256', typ }, typed, NOW)).not.toThrow();
      },
    );

    it('ignores typ when no type is required', () => {
      expect(() => checkClaims(valid(), { alg: 'ES256', typ: 'anything' }, policy(), NOW)).not.toThrow();
    });
  });

  it.each([
    ['sub', 42],
    ['sub', null],
    ['sub', ['u1']],
    ['jti', 42],
    ['jti', {}],
  ])('refuses a non-string %s (%j)', (name, value) => {
    expectTokenError(
      () => checkClaims(valid({ [name]: value }), HEADER, policy(), NOW),
      'token_claim_invalid',
      {
        claim: name,
      },
    );
  });

  describe('requiredClaims', () => {
    const required = policy({ requiredClaims: ['sub', 'scope'] });

    it.each([
      ['both missing', {}, 'sub'],
      ['one missing', { sub: 'u1' }, 'scope'],
    ])('refuses a claim set with %s', (_name, extra, claim) => {
      expectTokenError(() => checkClaims(valid(extra), HEADER, required, NOW), 'token_claim_invalid', {
        claim,
      });
    });

    it('accepts present claims whatever their value (even null)', () => {
      expect(() => checkClaims(valid({ sub: 'u1', scope: null }), HEADER, required, NOW)).not.toThrow();
    });

    it('counts only own members, never inherited ones', () => {
      const payload = Object.assign(Object.create({ scope: 'inherited' }) as object, valid({ sub: 'u1' }));
      expectTokenError(() => checkClaims(payload, HEADER, required, NOW), 'token_claim_invalid', {
        claim: 'scope',
      });
    });
  });

  it('has a default tolerance of 30 seconds', () => {
    expect(DEFAULT_CLOCK_TOLERANCE_SECONDS).toBe(30);
  });

  it('never echoes claim values in messages', () => {
    const secretIssuer = 'https://issuer.example/secret-tenant-42';
    const checks: (() => unknown)[] = [
      () => checkClaims(valid({ iss: secretIssuer }), HEADER, policy({ issuer: ['x'] }), NOW),
      () => checkClaims(valid({ aud: secretIssuer }), HEADER, policy({ audience: ['x'] }), NOW),
      () => checkClaims(valid(), { alg: 'ES256', typ: secretIssuer }, policy({ typ: 'x' }), NOW),
      () => checkClaims(valid({ sub: 7, iss: secretIssuer }), HEADER, policy(), NOW),
    ];
    for (const check of checks) {
      expectTokenError(check, 'token_claim_invalid', { notInMessage: [secretIssuer] });
    }
  });
});
