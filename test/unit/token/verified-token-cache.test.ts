import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKey } from '../../../src/keys/generate-key.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import type { JwsAlgorithm } from '../../../src/token/algorithms.js';
import type { JwsKey, KeyLookup } from '../../../src/token/key.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { createJwtVerifier, type JwtVerifierOptions } from '../../../src/token/jwt-verify.js';
import { VerifiedTokenCache, type CachedVerification } from '../../../src/token/verified-token-cache.js';
import { at, expectTokenError, NOW, NOW_S } from '../../helpers/token-kit.js';

describe('VerifiedTokenCache', () => {
  const entry = (overrides: Partial<CachedVerification> = {}): CachedVerification => ({
    result: { header: { alg: 'HS256' }, payload: { exp: 200 } },
    validFrom: 100,
    validUntil: 200,
    keysVersion: 1,
    ...overrides,
  });

  it.each([0, -1, 1.5, NaN, Infinity])('refuses maxEntries %s with a TypeError', (maxEntries) => {
    expect(() => new VerifiedTokenCache(maxEntries)).toThrow(TypeError);
  });

  it('returns an entry while validFrom <= now < validUntil and the key version matches', () => {
    const cache = new VerifiedTokenCache(10);
    const value = entry();
    cache.set('t', value);
    expect(cache.get('t', 100, 1)).toBe(value);
    expect(cache.get('t', 199, 1)).toBe(value);
    expect(cache.get('other', 150, 1)).toBeUndefined();
  });

  it.each([
    ['at validUntil', 200, 1],
    ['after validUntil', 500, 1],
    ['before validFrom', 99, 1],
    ['with another keys version', 150, 2],
  ])('misses %s and drops the entry', (_name, now, version) => {
    const cache = new VerifiedTokenCache(10);
    cache.set('t', entry());
    expect(cache.get('t', now, version)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('t', 150, 1)).toBeUndefined();
  });

  it('evicts the least recently used entry at maxEntries', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry());
    cache.set('b', entry());
    expect(cache.get('a', 150, 1)).toBeDefined(); // a is now the most recent
    cache.set('c', entry());
    expect(cache.size).toBe(2);
    expect(cache.get('b', 150, 1)).toBeUndefined();
    expect(cache.get('a', 150, 1)).toBeDefined();
    expect(cache.get('c', 150, 1)).toBeDefined();
  });

  it('clears', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', entry());
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('createJwtVerifier with a cache', () => {
  let key: JwsKey;
  let spare: JwsKey;
  let ring: KeyRing;
  let lookup: KeyLookup & { calls: number };

  beforeAll(() => {
    key = generateKey('ES256', { kid: 'es-1' });
    spare = generateKey('HS256', { kid: 'hs-spare' });
  });

  beforeEach(() => {
    ring = new KeyRing([key]);
    const counting = {
      calls: 0,
      get version() {
        return ring.version;
      },
      findKey(kid: string | undefined, alg: JwsAlgorithm) {
        counting.calls++;
        return ring.findKey(kid, alg);
      },
    };
    lookup = counting;
  });

  const sign = (claims: Record<string, unknown> = {}) =>
    signJwt({ exp: NOW_S + 600, sub: 'u1', ...claims }, key);
  const verifier = (options: JwtVerifierOptions = {}) =>
    createJwtVerifier(lookup, { cache: { maxEntries: 100 }, ...options });

  it('serves a repeated token from the cache without verifying it again', () => {
    const v = verifier();
    const token = sign();
    const first = v.verify(token, NOW);
    expect(lookup.calls).toBe(1);
    const second = v.verify(token, at(10));
    expect(second).toBe(first);
    expect(lookup.calls).toBe(1);
  });

  it('returns a frozen payload that callers cannot change for the next hit', () => {
    const v = verifier();
    const token = sign({ roles: ['user'] });
    const { payload } = v.verify(token, NOW);
    expect(Object.isFrozen(payload)).toBe(true);
    expect(Object.isFrozen(payload.roles)).toBe(true);
    expect(() => (payload.roles as string[]).push('admin')).toThrow(TypeError);
    expect(() => {
      (payload as Record<string, unknown>).sub = 'admin';
    }).toThrow(TypeError);
    expect(v.verify(token, NOW).payload).toEqual({ exp: NOW_S + 600, sub: 'u1', roles: ['user'] });
  });

  it('never caches a token whose claims fail', () => {
    const v = verifier({ issuer: 'https://tessera.example' });
    const token = sign({ iss: 'https://other.example' });
    for (let i = 1; i <= 3; i++) {
      expectTokenError(() => v.verify(token, NOW), 'token_claim_invalid');
      expect(lookup.calls).toBe(i);
    }
  });

  it('never caches a token whose signature fails, and a tampered token never hits the original entry', () => {
    const v = verifier();
    const token = sign();
    v.verify(token, NOW);
    const [h, p, s] = token.split('.') as [string, string, string];
    const otherPayload = Buffer.from(JSON.stringify({ exp: NOW_S + 600, sub: 'admin' })).toString(
      'base64url',
    );
    const tampered = [
      `${h}.${otherPayload}.${s}`,
      `${h}.${p}.${'A'.repeat(s.length)}`,
      `${h}.${p}.${s.slice(0, -2)}`,
    ];
    for (const bad of tampered) {
      expect(() => v.verify(bad, NOW)).toThrow(expect.objectContaining({ name: 'TokenError' }));
      expect(() => v.verify(bad, NOW)).toThrow(expect.objectContaining({ name: 'TokenError' }));
    }
    expect(lookup.calls).toBe(1 + 2 * tampered.length);
    expect(v.verify(token, NOW).payload.sub).toBe('u1');
    expect(lookup.calls).toBe(1 + 2 * tampered.length);
  });

  it('expires an entry at exp (cached hits stop exactly at exp)', () => {
    const v = verifier({ clockToleranceSeconds: 0, cache: { ttlSeconds: 3600 } });
    const token = sign({ exp: NOW_S + 100 });
    v.verify(token, NOW);
    v.verify(token, at(99));
    expect(lookup.calls).toBe(1);
    expectTokenError(() => v.verify(token, at(100)), 'token_expired');
    expect(lookup.calls).toBe(2);
  });

  it('expires an entry at now + ttlSeconds, then verifies afresh', () => {
    const v = verifier({ cache: { ttlSeconds: 60 } });
    const token = sign({ exp: NOW_S + 1000 });
    v.verify(token, NOW);
    v.verify(token, at(59));
    expect(lookup.calls).toBe(1);
    v.verify(token, at(60));
    expect(lookup.calls).toBe(2);
    v.verify(token, at(61));
    expect(lookup.calls).toBe(2);
  });

  it('expires an entry at iat + maxTokenAgeSeconds', () => {
    const v = verifier({ clockToleranceSeconds: 0, maxTokenAgeSeconds: 100, cache: { ttlSeconds: 3600 } });
    const token = sign({ iat: NOW_S, exp: NOW_S + 1000 });
    v.verify(token, NOW);
    v.verify(token, at(99));
    expect(lookup.calls).toBe(1);
    expectTokenError(() => v.verify(token, at(101)), 'token_expired');
  });

  it('does not serve an entry before nbf − tolerance (a clock that goes back)', () => {
    const v = verifier({ clockToleranceSeconds: 30 });
    const token = sign({ nbf: NOW_S + 10 });
    v.verify(token, NOW);
    expectTokenError(() => v.verify(token, at(-25)), 'token_not_yet_valid');
    expect(lookup.calls).toBe(2);
  });

  it('evicts the least recently used token at maxEntries', () => {
    const v = verifier({ cache: { maxEntries: 2 } });
    const [a, b, c] = ['a', 'b', 'c'].map((sub) => sign({ sub }));
    v.verify(a!, NOW);
    v.verify(b!, NOW);
    v.verify(a!, NOW); // hit: a becomes most recent
    expect(lookup.calls).toBe(2);
    v.verify(c!, NOW); // evicts b
    expect(lookup.calls).toBe(3);
    v.verify(a!, NOW);
    expect(lookup.calls).toBe(3);
    v.verify(b!, NOW);
    expect(lookup.calls).toBe(4);
  });

  it('drops every entry when the keyring changes (add, remove, setSigningKey)', () => {
    const v = verifier();
    const token = sign();
    v.verify(token, NOW);
    const changes: (() => void)[] = [
      () => ring.add(spare),
      () => ring.setSigningKey('es-1'),
      () => ring.remove('hs-spare'),
    ];
    let expected = 1;
    for (const change of changes) {
      const before = ring.version;
      change();
      expect(ring.version).toBeGreaterThan(before);
      v.verify(token, NOW);
      expect(lookup.calls).toBe(++expected);
      v.verify(token, NOW);
      expect(lookup.calls).toBe(expected);
    }
  });

  it('stops accepting a cached token as soon as its key is removed', () => {
    ring.add(spare);
    ring.setSigningKey('hs-spare');
    const v = verifier();
    const token = sign();
    v.verify(token, NOW);
    ring.remove('es-1');
    expectTokenError(() => v.verify(token, NOW), 'key_not_found');
  });

  it('clearCache drops every entry', () => {
    const v = verifier();
    const token = sign();
    v.verify(token, NOW);
    v.clearCache();
    v.verify(token, NOW);
    expect(lookup.calls).toBe(2);
  });

  it('refuses a non-string token without touching the cache', () => {
    const v = verifier();
    expectTokenError(() => v.verify(undefined, NOW), 'token_malformed');
    expectTokenError(() => v.verify({ toString: () => sign() }, NOW), 'token_malformed');
  });

  it.each([
    ['maxEntries 0', { maxEntries: 0 }],
    ['maxEntries 2.5', { maxEntries: 2.5 }],
    ['ttlSeconds 0', { ttlSeconds: 0 }],
    ['ttlSeconds -1', { ttlSeconds: -1 }],
    ['ttlSeconds NaN', { ttlSeconds: NaN }],
  ])('refuses cache option %s with a TypeError', (_name, cache) => {
    expect(() => createJwtVerifier(lookup, { cache })).toThrow(TypeError);
  });

  it('works with a single key (version never changes)', () => {
    const v = createJwtVerifier(key, { cache: {} });
    const token = sign();
    expect(v.verify(token, NOW)).toBe(v.verify(token, at(1)));
  });
});

describe('VerifiedTokenCache against a reference LRU (property)', () => {
  it('agrees with an array-based LRU on size, hits, misses and evictions for any operation sequence', () => {
    const ops = fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('set' as const), key: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ op: fc.constant('get' as const), key: fc.integer({ min: 0, max: 7 }) }),
        fc.record({ op: fc.constant('clear' as const), key: fc.constant(0) }),
      ),
      { maxLength: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), ops, (maxEntries, sequence) => {
        const cache = new VerifiedTokenCache(maxEntries);
        let model: string[] = []; // oldest first
        const live: CachedVerification = {
          result: { header: { alg: 'HS256' }, payload: { exp: 10 } },
          validFrom: 0,
          validUntil: 100,
          keysVersion: 1,
        };
        for (const { op, key } of sequence) {
          const token = `t${key}`;
          if (op === 'clear') {
            cache.clear();
            model = [];
          } else if (op === 'set') {
            model = model.filter((k) => k !== token);
            if (model.length >= maxEntries) model.shift();
            model.push(token);
            cache.set(token, live);
          } else {
            const hit = cache.get(token, 50, 1) !== undefined;
            expect(hit).toBe(model.includes(token));
            if (hit) model = [...model.filter((k) => k !== token), token];
          }
          expect(cache.size).toBe(model.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
