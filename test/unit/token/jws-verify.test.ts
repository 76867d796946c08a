import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import type { JwsAlgorithm } from '../../../src/token/algorithms.js';
import type { JoseHeader } from '../../../src/token/jose-header.js';
import { signJws, signSegments } from '../../../src/token/jws-sign.js';
import {
  DEFAULT_JWS_POLICY,
  DEFAULT_MAX_TOKEN_BYTES,
  decodeSegmentText,
  HeaderMemo,
  verifyCompactJws,
  verifyJws,
} from '../../../src/token/jws-verify.js';
import type { JwsKey, KeyLookup } from '../../../src/token/key.js';
import { b64url, expectTokenError, segment, signRaw, tokenParts } from '../../helpers/token-kit.js';

let hs: JwsKey;
let es: JwsKey;
let ring: KeyRing;

beforeAll(() => {
  hs = generateKey('HS256', { kid: 'hs-key' });
  es = generateKey('ES256', { kid: 'es-key' });
  ring = new KeyRing([hs, es]);
});

function countingLookup(inner: KeyLookup): KeyLookup & { calls: number } {
  const lookup = {
    calls: 0,
    get version() {
      return inner.version;
    },
    findKey(kid: string | undefined, alg: JwsAlgorithm) {
      lookup.calls++;
      return inner.findKey(kid, alg);
    },
  };
  return lookup;
}

const verify = (token: unknown, keys: KeyLookup = ring, policy = DEFAULT_JWS_POLICY) =>
  verifyCompactJws(token, keys, policy);

describe('verifyCompactJws', () => {
  it('returns the header, the still-encoded payload and the key', () => {
    const token = signJws('{"hello":"world"}', hs);
    const result = verify(token);
    expect(result.header).toEqual({ alg: 'HS256', kid: 'hs-key' });
    expect(result.payloadSegment).toBe(token.split('.')[1]);
    expect(result.key).toBe(hs);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { token: 'a.b.c' }],
    ['a Buffer', Buffer.from('a.b.c')],
    ['a String object', new String('a.b.c')],
  ])('refuses a token that is %s', (_name, token) => {
    expectTokenError(() => verify(token), 'token_malformed');
  });

  describe('size', () => {
    it(`refuses a token longer than maxTokenBytes (default ${DEFAULT_MAX_TOKEN_BYTES}) before anything else`, () => {
      const lookup = countingLookup(ring);
      expectTokenError(() => verify('x'.repeat(DEFAULT_MAX_TOKEN_BYTES + 1), lookup), 'token_too_large');
      expectTokenError(() => verify('.'.repeat(DEFAULT_MAX_TOKEN_BYTES + 1), lookup), 'token_too_large');
      expect(lookup.calls).toBe(0);
    });

    it('accepts a token of exactly maxTokenBytes characters', () => {
      const token = signJws('x', hs);
      const policy = { ...DEFAULT_JWS_POLICY, maxTokenBytes: token.length };
      expect(() => verify(token, ring, policy)).not.toThrow();
      expectTokenError(
        () => verify(token, ring, { ...policy, maxTokenBytes: token.length - 1 }),
        'token_too_large',
      );
    });
  });

  describe('shape', () => {
    it.each([
      ['empty', ''],
      ['one part', 'eyJhbGciOiJIUzI1NiJ9'],
      ['two parts', 'eyJhbGciOiJIUzI1NiJ9.e30'],
      ['four parts', 'eyJhbGciOiJIUzI1NiJ9.e30.AAAA.AAAA'],
      ['five parts (JWE shape)', 'eyJhbGciOiJSU0EtT0FFUCJ9.AAAA.AAAA.AAAA.AAAA'],
      ['only dots', '....'],
      ['two dots', '..'],
    ])('refuses %s', (_name, token) => {
      const error = expectTokenError(() => verify(token), 'token_malformed');
      if (token.split('.').length !== 3) expect(error.message).toContain('three parts');
    });

    it('refuses an empty header segment', () => {
      const error = expectTokenError(() => verify('.e30.AAAA'), 'token_malformed');
      expect(error.message).toBe('The token header is empty.');
    });
  });

  describe('header', () => {
    it.each([
      ['not base64url', 'eyJhbGciOiJIUzI1NiJ9='],
      ['not UTF-8', b64url(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))],
      ['not JSON', segment('alg=HS256')],
      ['a JSON array', segment('["HS256"]')],
      ['a duplicate alg', segment('{"alg":"HS256","alg":"HS256"}')],
      ['without alg', segment({ kid: 'hs-key' })],
    ])('refuses a header that is %s', (_name, header) => {
      expectTokenError(() => verify(`${header}.e30.AAAA`), 'token_malformed');
    });

    it('refuses an algorithm outside the policy before looking up any key', () => {
      const lookup = countingLookup(ring);
      const token = signJws('x', hs);
      const policy = { ...DEFAULT_JWS_POLICY, algorithms: new Set<JwsAlgorithm>(['ES256']) };
      expectTokenError(() => verify(token, lookup, policy), 'token_alg_not_allowed');
      expect(lookup.calls).toBe(0);
    });
  });

  describe('key', () => {
    it('refuses an unknown kid, without echoing it', () => {
      const kid = 'unknown-kid-value-123';
      const token = signRaw({ alg: 'HS256', kid }, 'x', hs);
      expectTokenError(() => verify(token), 'key_not_found', {
        claim: 'kid',
        notInMessage: [kid, ...tokenParts(token)],
      });
    });

    it('refuses a kid-less token when no key or more than one key has the algorithm', () => {
      const token = signRaw({ alg: 'HS256' }, 'x', hs);
      expect(verify(token).key).toBe(hs);
      const ambiguous = new KeyRing([hs, generateKey('HS256', { kid: 'hs-2' })]);
      expectTokenError(() => verify(token, ambiguous), 'key_not_found');
      expectTokenError(
        () => verify(signRaw({ alg: 'ES384' }, 'x', generateKey('ES384')), ring),
        'key_not_found',
      );
    });

    it("refuses a header alg that differs from the kid's key", () => {
      // A genuine HS384 MAC made with the bytes of the HS256 key: only the kid's alg binding refuses it.
      const hs384 = { ...hs, alg: 'HS384', spec: { ...hs.spec, alg: 'HS384', hash: 'sha384' } } as JwsKey;
      const token = signRaw({ alg: 'HS384', kid: 'hs-key' }, 'x', hs384);
      expectTokenError(() => verify(token), 'token_alg_not_allowed', { claim: 'alg' });
    });
  });

  describe('payload encoding', () => {
    it.each([
      ['"=" padding', 'eyJhIjoxfQ=='],
      ['"+" from the standard alphabet', 'eyJh+joxfQ'],
      ['"/" from the standard alphabet', 'eyJh/joxfQ'],
      ['whitespace', 'eyJh Ijox fQ'],
      ['a newline', 'eyJhIjox\nfQ'],
      ['a non-canonical last character', 'eyJhIjoxfR'],
      ['length % 4 == 1', 'eyJhIjoxfQA'.slice(0, 9)],
    ])('refuses a correctly signed payload segment with %s', (_name, payloadSegment) => {
      // The signature is valid over the text exactly as sent.
      const token = signSegments(segment({ alg: 'HS256', kid: 'hs-key' }), payloadSegment, hs);
      const error = expectTokenError(() => verify(token), 'token_malformed');
      expect(error.message).toBe('The payload is not strict base64url.');
    });
  });

  describe('signature', () => {
    const swap = (text: string, from: string, to: string) => text.split(from).join(to);

    it.each([
      ['"=" padding appended', (s: string) => `${s}=`],
      ['"-" written as "+"', (s: string) => swap(swap(s, '_', '/'), '-', '+')],
      ['a space inside', (s: string) => `${s.slice(0, 10)} ${s.slice(10)}`],
      ['a newline at the end', (s: string) => `${s}\n`],
      ['non-canonical trailing bits (same bytes)', (s: string) => nonCanonical(s)],
    ])('refuses an encoding variant of a valid signature: %s', (_name, mutate) => {
      for (let i = 0; ; i++) {
        // Use a token whose signature actually contains a character the variant changes.
        const token = signJws(`payload-${i}`, hs);
        const [h, p, s] = token.split('.') as [string, string, string];
        const variant = mutate(s);
        if (variant === s) continue;
        expect(Buffer.from(variant, 'base64url').equals(Buffer.from(s, 'base64url'))).toBe(true);
        expectTokenError(() => verify(`${h}.${p}.${variant}`), 'token_malformed');
        break;
      }
    });

    it.each([
      ['empty', ''],
      ['one byte', 'AA'],
      ['all zeros, full length', 'A'.repeat(43)],
    ])('refuses a signature that is %s', (_name, signature) => {
      const [h, p] = signJws('x', hs).split('.') as [string, string];
      expectTokenError(() => verify(`${h}.${p}.${signature}`), 'token_signature_invalid');
    });

    it('checks the signature before the payload is ever parsed', () => {
      // The payload is not JSON: the JWS layer must not care, and must refuse the bad signature.
      const [h, p] = signJws('not json at all', hs).split('.') as [string, string];
      expectTokenError(() => verify(`${h}.${p}.${'A'.repeat(43)}`), 'token_signature_invalid');
    });
  });

  it('uses a memo only for headers that passed the checks', () => {
    const memo = new HeaderMemo();
    const token = signJws('x', hs);
    const headerSegment = token.split('.')[0]!;
    verifyCompactJws(token, ring, DEFAULT_JWS_POLICY, memo);
    const cached = memo.get(headerSegment);
    expect(cached).toEqual({ alg: 'HS256', kid: 'hs-key' });
    expect(Object.isFrozen(cached)).toBe(true);
    // Same header: served from the memo, same object.
    expect(verifyCompactJws(signJws('y', hs), ring, DEFAULT_JWS_POLICY, memo).header).toBe(cached);

    const bad = segment({ alg: 'none' });
    expectTokenError(
      () => verifyCompactJws(`${bad}.e30.`, ring, DEFAULT_JWS_POLICY, memo),
      'token_alg_not_allowed',
    );
    expect(memo.get(bad)).toBeUndefined();
  });
});

describe('HeaderMemo', () => {
  it('finds the last header by prefix only when the segment ends exactly at the dot', () => {
    const memo = new HeaderMemo();
    const header = { alg: 'HS256' } as JoseHeader;
    memo.set('abc', header);
    expect(memo.lookup('abc.payload.sig', 3)).toBe(header);
    // Same prefix, longer header segment: must not hit the remembered 'abc'.
    expect(memo.lookup('abcd.payload.sig', 4)).toBeUndefined();
    expect(memo.lookup('ab.payload.sig', 2)).toBeUndefined();
    memo.set('xyz', { alg: 'ES256' } as JoseHeader);
    expect(memo.lookup('abc.p.s', 3)).toBe(header); // still in the map
    expect(memo.lookup('abc.p.s', 3)).toBe(header); // and now the fast path again
  });

  it('is bounded: it starts over when full', () => {
    const memo = new HeaderMemo(3);
    const header = { alg: 'HS256' } as JoseHeader;
    for (const name of ['a', 'b', 'c']) memo.set(name, header);
    expect(memo.get('a')).toBe(header);
    memo.set('d', header);
    expect(memo.get('a')).toBeUndefined();
    expect(memo.get('d')).toBe(header);
  });
});

describe('decodeSegmentText', () => {
  it('decodes UTF-8', () => {
    expect(decodeSegmentText(b64url('{"n":"é😀"}'), 'payload')).toBe('{"n":"é😀"}');
  });

  it.each([
    ['a lone 0xff byte', [0x22, 0xff, 0x22]],
    ['a truncated multi-byte sequence', [0x22, 0xc3, 0x22]],
    ['an overlong encoding of "/"', [0x22, 0xc0, 0xaf, 0x22]],
    ['a UTF-16 surrogate encoded in UTF-8', [0x22, 0xed, 0xa0, 0x80, 0x22]],
  ])('refuses invalid UTF-8 (%s) rather than replacing it', (_name, bytes) => {
    const error = expectTokenError(
      () => decodeSegmentText(b64url(Buffer.from(bytes)), 'payload'),
      'token_malformed',
    );
    expect(error.message).toBe('The payload is not valid UTF-8.');
  });
});

describe('verifyJws', () => {
  it('returns the verified header and the payload bytes, JSON or not', () => {
    const payload = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const result = verifyJws(signJws(payload, es), es);
    expect(result.header.alg).toBe('ES256');
    expect(Buffer.compare(result.payload, payload)).toBe(0);
  });

  it('applies the allowlist and the size cap', () => {
    const token = signJws('x', es);
    expectTokenError(() => verifyJws(token, ring, { algorithms: ['HS256'] }), 'token_alg_not_allowed');
    expectTokenError(() => verifyJws(token, ring, { maxTokenBytes: 64 }), 'token_too_large');
  });

  it.each([
    ['empty', []],
    ['"none"', ['none']],
    ['a lower-case name', ['hs256']],
    ['a mix of valid and invalid names', ['HS256', 'none']],
  ])('throws a TypeError for an algorithms list that is %s', (_name, algorithms) => {
    expect(() => verifyJws('a.b.c', ring, { algorithms: algorithms as JwsAlgorithm[] })).toThrow(TypeError);
  });

  it('refuses a non-strict payload even though it would decode leniently', () => {
    const token = signSegments(segment({ alg: 'HS256', kid: 'hs-key' }), 'eyJhIjoxfQ==', hs);
    expectTokenError(() => verifyJws(token, ring), 'token_malformed');
  });
});

function nonCanonical(signature: string): string {
  // Raise an unused low bit of the last character (only possible when length % 4 != 0).
  if (signature.length % 4 === 0) return signature;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(signature[signature.length - 1]!);
  return signature.slice(0, -1) + alphabet[last | 1];
}
