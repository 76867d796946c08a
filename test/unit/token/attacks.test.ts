/**
 * Known attacks on JWT verifiers, end to end through verifyJwt with a KeyRing (RFC 8725 §2).
 * Every case asserts the stable error code and that the message echoes neither the token nor the
 * attacker-chosen values (kid, secrets).
 */
import { createHmac, createSecretKey } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import { exportPublicJwk } from '../../../src/keys/jwk.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import { computeJwkThumbprint } from '../../../src/keys/thumbprint.js';
import type { TokenErrorCode } from '../../../src/errors.js';
import { curveOrder } from '../../../src/token/ecdsa-range.js';
import { createSignature } from '../../../src/token/signature.js';
import type { JwsKey } from '../../../src/token/key.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { createJwtVerifier, verifyJwt, type VerifyJwtOptions } from '../../../src/token/jwt-verify.js';
import {
  b64url,
  expectKeyError,
  expectTokenError,
  forge,
  NOW,
  NOW_S,
  segment,
  signRaw,
  tokenParts,
} from '../../helpers/token-kit.js';

let rs: JwsKey;
let es: JwsKey;
let es384: JwsKey;
let es512: JwsKey;
let ring: KeyRing;
const CLAIMS = { iss: 'https://tessera.example', sub: 'user-1', aud: 'api', exp: NOW_S + 600, iat: NOW_S };

beforeAll(() => {
  rs = generateKey('RS256', { kid: 'rs-main' });
  es = generateKey('ES256', { kid: 'es-main' });
  es384 = generateKey('ES384', { kid: 'es384-main' });
  es512 = generateKey('ES512', { kid: 'es512-main' });
  ring = new KeyRing([rs, es, es384, es512], { signingKid: 'es-main' });
});

function verify(token: unknown, options: VerifyJwtOptions = {}) {
  return verifyJwt(token, ring, { now: NOW, ...options });
}

/** Asserts the rejection code, and that the message leaks neither the token nor any of `secrets`. */
function expectRejected(
  token: string,
  code: TokenErrorCode | readonly TokenErrorCode[],
  options: VerifyJwtOptions = {},
  secrets: readonly string[] = [],
) {
  const codes = typeof code === 'string' ? [code] : code;
  let error: unknown;
  try {
    verify(token, options);
  } catch (caught) {
    error = caught;
  }
  expect(error, 'the token must be rejected').toBeDefined();
  expect(error).toMatchObject({ name: 'TokenError' });
  expect(codes).toContain((error as { code: string }).code);
  // Cross-check through the helper (exact class and leak check).
  expectTokenError(() => verify(token, options), (error as { code: TokenErrorCode }).code, {
    notInMessage: [...tokenParts(token), ...secrets],
  });
}

it('the baseline token verifies (so every rejection below is caused by the attack)', () => {
  for (const key of [rs, es, es384, es512]) {
    expect(verify(signJwt(CLAIMS, key)).payload.sub).toBe('user-1');
  }
});

describe('alg "none" (RFC 8725 §2.1)', () => {
  const casings = ['none', 'None', 'NONE', 'nOnE'];
  const signatures = [
    ['an empty signature', () => ''],
    ['a non-empty signature', () => 'c2lnbmF0dXJl'],
    ["the server's own signature", () => signJwt(CLAIMS, es).split('.')[2]!],
  ] as const;

  describe.each(casings)('alg %j', (alg) => {
    it.each(signatures)('with %s, with and without a kid', (_name, signature) => {
      for (const header of [{ alg }, { alg, typ: 'JWT' }, { alg, kid: 'es-main' }, { alg, kid: 'rs-main' }]) {
        const token = forge(header, CLAIMS, signature);
        expectRejected(token, 'token_alg_not_allowed');
        expectRejected(token, 'token_alg_not_allowed', { algorithms: ['ES256', 'RS256'] });
      }
    });
  });

  it('is refused with a trailing dot missing (two parts)', () => {
    expectRejected(`${segment({ alg: 'none' })}.${segment(CLAIMS)}`, 'token_malformed');
  });

  it('is refused by a single-key verifier too (createJwtVerifier with one key)', () => {
    const verifier = createJwtVerifier(es);
    expectTokenError(
      () =>
        verifier.verify(
          forge({ alg: 'none' }, CLAIMS, () => ''),
          NOW,
        ),
      'token_alg_not_allowed',
    );
  });
});

describe('HMAC with the public key as the secret (algorithm confusion, RFC 8725 §2.1)', () => {
  type SecretForm = { name: string; bytes: (key: JwsKey) => Buffer };
  const forms: SecretForm[] = [
    {
      name: 'SPKI PEM text',
      bytes: (key) => Buffer.from(key.verificationKey.export({ type: 'spki', format: 'pem' }) as string),
    },
    {
      name: 'SPKI PEM text without the trailing newline',
      bytes: (key) =>
        Buffer.from((key.verificationKey.export({ type: 'spki', format: 'pem' }) as string).trim()),
    },
    { name: 'SPKI DER bytes', bytes: (key) => key.verificationKey.export({ type: 'spki', format: 'der' }) },
    { name: 'JWK JSON text', bytes: (key) => Buffer.from(JSON.stringify(exportPublicJwk(key))) },
    {
      name: 'JWK JSON text as exported by node (no kid)',
      bytes: (key) => Buffer.from(JSON.stringify(key.verificationKey.export({ format: 'jwk' }))),
    },
  ];
  const rsaOnlyForms: SecretForm[] = [
    {
      name: 'PKCS#1 PEM text',
      bytes: (key) => Buffer.from(key.verificationKey.export({ type: 'pkcs1', format: 'pem' }) as string),
    },
    {
      name: 'PKCS#1 DER bytes',
      bytes: (key) => key.verificationKey.export({ type: 'pkcs1', format: 'der' }),
    },
  ];
  const hashes = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;

  describe.each(['RS256', 'ES256'] as const)('against the %s key', (target) => {
    const key = () => (target === 'RS256' ? rs : es);
    const allForms = () => (target === 'RS256' ? [...forms, ...rsaOnlyForms] : forms);

    it.each(Object.keys(hashes) as (keyof typeof hashes)[])(
      '%s tokens are refused in every secret form',
      (alg) => {
        for (const form of allForms()) {
          const secret = form.bytes(key());
          const mac = (input: string) => createHmac(hashes[alg], secret).update(input).digest();
          // Naming the server key: the key decides the algorithm, and it is not HMAC.
          expectRejected(forge({ alg, kid: key().kid }, CLAIMS, mac), 'token_alg_not_allowed', {}, [
            secret.toString('latin1').slice(30, 60),
          ]);
          // Naming no key: the ring holds no HMAC key at all.
          expectRejected(forge({ alg }, CLAIMS, mac), 'key_not_found');
          // A verifier restricted to the key's algorithm refuses before any lookup.
          expectRejected(forge({ alg, kid: key().kid }, CLAIMS, mac), 'token_alg_not_allowed', {
            algorithms: [key().alg],
          });
          // A single-key verifier too.
          expectTokenError(
            () => verifyJwt(forge({ alg }, CLAIMS, mac), key(), { now: NOW }),
            'key_not_found',
          );
        }
      },
    );

    it('importKey refuses every such public key as an HMAC secret (key_invalid)', () => {
      for (const alg of Object.keys(hashes) as (keyof typeof hashes)[]) {
        for (const form of allForms()) {
          const bytes = form.bytes(key());
          expectKeyError(() => importKey({ alg, secret: bytes }), {
            notInMessage: [bytes.toString('latin1').slice(30, 60)],
          });
          expectKeyError(() => importKey({ alg, secret: new Uint8Array(bytes) }));
          const text = bytes.toString('utf8');
          if (Buffer.from(text).equals(bytes)) expectKeyError(() => importKey({ alg, secret: text }));
          // Through the other doors too: an oct JWK carrying those bytes, or a secret KeyObject.
          expectKeyError(() => importKey({ alg, jwk: { kty: 'oct', k: b64url(bytes) } }));
          expectKeyError(() => importKey({ alg, keyObject: createSecretKey(bytes) }));
        }
      }
    });

    it('importKey refuses a PEM or JWK secret behind a byte-order mark, whitespace or a label', () => {
      const pem = key().verificationKey.export({ type: 'spki', format: 'pem' }) as string;
      const jwkText = JSON.stringify(exportPublicJwk(key()));
      for (const text of [
        `\uFEFF${pem}`,
        `\r\n\t ${pem}`,
        `Public Key:\n${pem}`,
        `\uFEFF${jwkText}`,
        ` \n${jwkText}`,
      ]) {
        expectKeyError(() => importKey({ alg: 'HS256', secret: text }));
        expectKeyError(() => importKey({ alg: 'HS256', secret: Buffer.from(text) }));
      }
    });

    it('importKey refuses the public key itself (PEM, JWK, KeyObject) for HMAC', () => {
      const pem = key().verificationKey.export({ type: 'spki', format: 'pem' }) as string;
      expectKeyError(() => importKey({ alg: 'HS256', pem }));
      expectKeyError(() => importKey({ alg: 'HS256', jwk: exportPublicJwk(key()) }));
      expectKeyError(() => importKey({ alg: 'HS256', keyObject: key().verificationKey }));
    });
  });
});

describe('embedded keys and key URLs in the header are never used (CVE-2018-0114)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('a token signed by an attacker key embedded as "jwk" does not verify', () => {
    const attacker = generateKey('ES256', { kid: 'attacker' });
    const jwk = exportPublicJwk(attacker);
    const thumbprint = computeJwkThumbprint(jwk);
    expectRejected(signRaw({ alg: 'ES256', jwk }, CLAIMS, attacker), 'token_signature_invalid');
    expectRejected(
      signRaw({ alg: 'ES256', jwk, kid: 'es-main' }, CLAIMS, attacker),
      'token_signature_invalid',
    );
    expectRejected(signRaw({ alg: 'ES256', jwk, kid: thumbprint }, CLAIMS, attacker), 'key_not_found', {}, [
      thumbprint,
    ]);
    expectRejected(signRaw({ alg: 'ES256', jwk, kid: 'attacker' }, CLAIMS, attacker), 'key_not_found');
    expectTokenError(
      () => verifyJwt(signRaw({ alg: 'ES256', jwk }, CLAIMS, attacker), es, { now: NOW }),
      'token_signature_invalid',
    );
  });

  it('an embedded HMAC "jwk" with the attacker secret does not verify', () => {
    const attacker = generateKey('HS256', { kid: 'attacker-hs' });
    const k = (attacker.signingKey!.export() as Buffer).toString('base64url');
    expectRejected(signRaw({ alg: 'HS256', jwk: { kty: 'oct', k } }, CLAIMS, attacker), 'key_not_found', {}, [
      k,
    ]);
    expectRejected(
      signRaw({ alg: 'HS256', kid: 'es-main', jwk: { kty: 'oct', k } }, CLAIMS, attacker),
      'token_alg_not_allowed',
    );
  });

  it.each([
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['x5c', { x5c: [b64url('not a certificate')] }],
    ['x5t', { x5t: b64url('thumb') }],
    ['x5t#S256', { 'x5t#S256': b64url('thumb') }],
  ])(
    '"%s" is ignored: an attacker token fails, a server token passes, nothing is fetched',
    (_name, extra) => {
      const fetchSpy = vi.fn();
      vi.stubGlobal('fetch', fetchSpy);
      const attacker = generateKey('ES256', { kid: 'es-main' });
      expectRejected(
        signRaw({ alg: 'ES256', kid: 'es-main', ...extra }, CLAIMS, attacker),
        'token_signature_invalid',
      );
      expectRejected(signRaw({ alg: 'ES256', ...extra }, CLAIMS, attacker), 'token_signature_invalid');
      const genuine = signRaw({ alg: 'ES256', kid: 'es-main', ...extra }, CLAIMS, es);
      expect(verify(genuine).payload.sub).toBe('user-1');
      expect(fetchSpy).not.toHaveBeenCalled();
    },
  );
});

describe('ECDSA signature values (CVE-2022-21449 "psychic signatures")', () => {
  const curves = [
    ['ES256', 32, () => es],
    ['ES384', 48, () => es384],
    ['ES512', 66, () => es512],
  ] as const;
  const big = (bytes: Uint8Array) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
  const fixed = (value: bigint, length: number) =>
    Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');

  describe.each(curves)('%s', (alg, length, key) => {
    const signed = () => signJwt(CLAIMS, key());
    const withSignature = (token: string, signature: Uint8Array) =>
      `${token.slice(0, token.lastIndexOf('.'))}.${b64url(signature)}`;
    const parts = (token: string) => {
      const raw = Buffer.from(token.split('.')[2]!, 'base64url');
      return { r: big(raw.subarray(0, length)), s: big(raw.subarray(length)) };
    };

    it.each([
      ['r = s = 0', () => 0n, () => 0n],
      ['r = 0, s valid', () => 0n, (s: bigint) => s],
      ['r valid, s = 0', (r: bigint) => r, () => 0n],
      ['r = n, s valid', (_r: bigint, n: bigint) => n, (s: bigint) => s],
      ['r valid, s = n', (r: bigint) => r, (_s: bigint, n: bigint) => n],
      ['r = s = n', (_r: bigint, n: bigint) => n, (_s: bigint, n: bigint) => n],
      ['r = n + r (if it fits)', (r: bigint, n: bigint) => r + n, (s: bigint) => s],
    ])('rejects %s', (_name, makeR, makeS) => {
      const token = signed();
      const { r, s } = parts(token);
      const n = big(curveOrder(length));
      const newR = makeR(r, n);
      const newS = makeS(s, n);
      const max = (1n << BigInt(8 * length)) - 1n;
      if (newR > max || newS > max) return; // does not fit the fixed-width encoding
      const forged = withSignature(token, Buffer.concat([fixed(newR, length), fixed(newS, length)]));
      expectRejected(forged, 'token_signature_invalid');
    });

    it('accepts the malleable twin (r, n − s): the curve order in ecdsa-range.ts is right', () => {
      for (let i = 0; i < 4; i++) {
        const token = signJwt({ ...CLAIMS, jti: `t-${i}` }, key());
        const { r, s } = parts(token);
        const n = big(curveOrder(length));
        const twin = withSignature(token, Buffer.concat([fixed(r, length), fixed(n - s, length)]));
        expect(twin).not.toBe(token);
        expect(verify(twin).payload.jti).toBe(`t-${i}`);
      }
    });

    it.each([
      ['DER-encoded instead of raw', 'der'],
      ['truncated by one byte', -1],
      ['one byte too long', 1],
      ['double length', 'double'],
    ] as const)('rejects a signature %s', (_name, change) => {
      const token = signed();
      const raw = Buffer.from(token.split('.')[2]!, 'base64url');
      let signature: Buffer;
      if (change === 'der') {
        const { r, s } = parts(token);
        const int = (v: bigint) => {
          let bytes = Buffer.from(
            v.toString(16).padStart(2 * Math.ceil(v.toString(16).length / 2), '0'),
            'hex',
          );
          if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
          return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
        };
        const body = Buffer.concat([int(r), int(s)]);
        signature =
          body.length < 128
            ? Buffer.concat([Buffer.from([0x30, body.length]), body])
            : Buffer.concat([Buffer.from([0x30, 0x81, body.length]), body]);
      } else if (change === 'double') signature = Buffer.concat([raw, raw]);
      else if (change === -1) signature = raw.subarray(0, raw.length - 1);
      else signature = Buffer.concat([raw, Buffer.from([0])]);
      expectRejected(withSignature(token, signature), 'token_signature_invalid');
    });
  });
});

describe('signature length and content', () => {
  it.each([
    ['RS256', () => rs],
    ['ES256', () => es],
  ])('%s: truncated, over-long, empty, and other-token signatures are rejected', (_alg, key) => {
    const token = signJwt(CLAIMS, key());
    const cut = token.lastIndexOf('.');
    const raw = Buffer.from(token.slice(cut + 1), 'base64url');
    const other = signJwt({ ...CLAIMS, sub: 'user-2' }, key());
    for (const signature of [
      raw.subarray(0, raw.length - 1),
      raw.subarray(0, raw.length >> 1),
      Buffer.concat([raw, Buffer.from([0])]),
      Buffer.concat([Buffer.from([0]), raw]),
      Buffer.alloc(0),
      Buffer.from(other.slice(other.lastIndexOf('.') + 1), 'base64url'),
    ]) {
      expectRejected(`${token.slice(0, cut)}.${b64url(signature)}`, 'token_signature_invalid');
    }
  });
});

describe('tampering under the original signature', () => {
  it.each([
    ['sub changed', { ...CLAIMS, sub: 'admin' }],
    ['exp extended', { ...CLAIMS, exp: NOW_S + 86_400 }],
    ['a claim added', { ...CLAIMS, roles: ['admin'] }],
    ['a claim removed', { sub: CLAIMS.sub, exp: CLAIMS.exp }],
  ])('payload: %s', (_name, claims) => {
    for (const key of [rs, es]) {
      const [h, , s] = signJwt(CLAIMS, key).split('.');
      expectRejected(`${h}.${segment(claims)}.${s}`, 'token_signature_invalid');
    }
  });

  it('payload: the same JSON re-serialised with other whitespace', () => {
    const [h, , s] = signJwt(CLAIMS, es).split('.');
    expectRejected(`${h}.${segment(JSON.stringify(CLAIMS, null, 1))}.${s}`, 'token_signature_invalid');
  });

  it.each([
    ['typ added', { alg: 'ES256', kid: 'es-main', typ: 'JWT' }, 'token_signature_invalid'],
    ['members reordered', { kid: 'es-main', alg: 'ES256' }, 'token_signature_invalid'],
    ['kid changed to another key', { alg: 'ES256', kid: 'rs-main' }, 'token_alg_not_allowed'],
    ['kid removed', { alg: 'ES256' }, 'token_signature_invalid'],
    ['alg changed to ES384', { alg: 'ES384', kid: 'es-main' }, 'token_alg_not_allowed'],
    ['alg changed to HS256', { alg: 'HS256', kid: 'es-main' }, 'token_alg_not_allowed'],
    ['kid changed to an unknown one', { alg: 'ES256', kid: 'es-other' }, 'key_not_found'],
  ] as const)('header: %s', (_name, header, code) => {
    const [, p, s] = signJwt(CLAIMS, es).split('.');
    expectRejected(`${segment(header)}.${p}.${s}`, code);
  });
});

describe('hostile kid values', () => {
  it.each([
    ['path traversal', '../../etc/passwd'],
    ['absolute path', '/dev/zero'],
    ['URL-encoded traversal', '..%2f..%2fetc%2fpasswd'],
    ['SQL injection', "' OR 1=1 --"],
    ['SQL union', '" UNION SELECT secret FROM keys --'],
    ['a NUL byte', 'es-main\u0000'],
    ['HTML', '<script>alert(1)</script>'],
    ['a prototype member', '__proto__'],
    ['toString', 'toString'],
    ['exactly 256 characters', 'k'.repeat(256)],
  ])('%s → key_not_found, kid not echoed', (_name, kid) => {
    const token = signRaw({ alg: 'ES256', kid }, CLAIMS, es);
    expectRejected(token, 'key_not_found', {}, [kid]);
  });

  it.each([
    ['300 characters', 'x'.repeat(300)],
    ['257 characters', 'y'.repeat(257)],
    ['10 KB', 'z'.repeat(10 * 1024)],
    ['10 KB of traversal', '../'.repeat(3414)],
    ['empty', ''],
  ])('%s → token_malformed before any lookup, kid not echoed', (_name, kid) => {
    const token = signRaw({ alg: 'ES256', kid }, CLAIMS, es);
    expect(token.length).toBeLessThan(16 * 1024);
    let lookups = 0;
    const lookup = {
      version: 0,
      findKey: (...args: Parameters<KeyRing['findKey']>) => (lookups++, ring.findKey(...args)),
    };
    expectTokenError(() => verifyJwt(token, lookup, { now: NOW }), 'token_malformed', {
      claim: 'kid',
      notInMessage: [kid.slice(0, 32), ...tokenParts(token)],
    });
    expect(lookups).toBe(0);
  });

  it.each([
    ['a number', 1],
    ['an array', ['es-main']],
    ['an object', { $ne: null }],
    ['null', null],
    ['true', true],
  ])('a kid that is %s → token_malformed', (_name, kid) => {
    expectRejected(signRaw({ alg: 'ES256', kid }, CLAIMS, es), 'token_malformed');
  });
});

describe('token shape and encoding', () => {
  it.each([
    ['two parts', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['two parts with a trailing dot removed', (t: string) => t.slice(0, t.lastIndexOf('.'))],
    ['four parts', (t: string) => `${t}.${t.split('.')[2]}`],
    ['four parts (empty fourth)', (t: string) => `${t}.`],
    [
      'five parts (JWE-shaped)',
      (_t: string) => `${segment({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.AAAA.AAAA.AAAA.AAAA`,
    ],
    ['a JWE with a signing alg', (t: string) => `${t.split('.')[0]}.AAAA.AAAA.AAAA.AAAA`],
    [
      'JSON serialization',
      (t: string) => JSON.stringify({ protected: t.split('.')[0], payload: t.split('.')[1] }),
    ],
  ])('%s → token_malformed', (_name, mutate) => {
    expectRejected(mutate(signJwt(CLAIMS, es)), 'token_malformed');
  });

  const injections = [
    ['"=" padding appended', (s: string) => `${s}=`],
    ['"==" padding appended', (s: string) => `${s}==`],
    ['a space inside', (s: string) => `${s.slice(0, 8)} ${s.slice(8)}`],
    ['a leading space', (s: string) => ` ${s}`],
    ['a trailing space', (s: string) => `${s} `],
    ['a newline inside', (s: string) => `${s.slice(0, 8)}\n${s.slice(8)}`],
    ['a CRLF at the end', (s: string) => `${s}\r\n`],
    ['a tab inside', (s: string) => `${s.slice(0, 8)}\t${s.slice(8)}`],
    ['"+" inside', (s: string) => `${s.slice(0, 8)}+${s.slice(8)}`],
    ['"/" inside', (s: string) => `${s.slice(0, 8)}/${s.slice(8)}`],
    ['"-" rewritten as "+" and "_" as "/"', (s: string) => s.replaceAll('-', '+').replaceAll('_', '/')],
    ['"+" replacing the first character', (s: string) => `+${s.slice(1)}`],
    ['"/" replacing the last character', (s: string) => `${s.slice(0, -1)}/`],
  ] as const;

  describe.each([
    ['header', 0],
    ['payload', 1],
    ['signature', 2],
  ] as const)('in the %s segment', (_segment, index) => {
    it.each(injections)('%s → token_malformed', (_name, inject) => {
      let changed = false;
      for (let i = 0; i < 50 && !changed; i++) {
        // Characters such as "~", "?" and ">" encode to "-" and "_", which the rewrite needs.
        const noise = `~?>~?>${i}`;
        const parts = signRaw({ alg: 'ES256', kid: 'es-main', noise }, { ...CLAIMS, noise }, es).split('.');
        const before = parts[index]!;
        parts[index] = inject(before);
        if (parts[index] === before) continue; // the rewrite needs a "-" or "_" to act on
        changed = true;
        expectRejected(parts.join('.'), 'token_malformed');
      }
      expect(changed).toBe(true);
    });
  });

  it('a 100 KB token → token_too_large', () => {
    const big = signJwt({ ...CLAIMS, pad: 'x'.repeat(100 * 1024) }, es);
    expectRejected(big, 'token_too_large');
  });

  it.each([
    ['invalid base64', '!'.repeat(100 * 1024)],
    ['one segment of invalid base64 between dots', `${'!'.repeat(50 * 1024)}.${'!'.repeat(50 * 1024)}.x`],
    ['only dots', '.'.repeat(100 * 1024)],
    ['non-ASCII', 'é'.repeat(100 * 1024)],
  ])('a 100 KB token of %s → token_too_large (refused before decoding)', (_name, token) => {
    let lookups = 0;
    const lookup = { version: 0, findKey: () => (lookups++, undefined) };
    expectTokenError(() => verifyJwt(token, lookup, { now: NOW }), 'token_too_large', {
      notInMessage: [token.slice(0, 64)],
    });
    expect(lookups).toBe(0);
  });

  it('the size cap is configurable and exact', () => {
    const token = signJwt(CLAIMS, es);
    expect(() => verify(token, { maxTokenBytes: token.length })).not.toThrow();
    expectRejected(token, 'token_too_large', { maxTokenBytes: token.length - 1 });
  });
});

describe('hostile JSON', () => {
  it('deeply nested header → token_malformed', () => {
    for (const depth of [33, 100, 5000]) {
      const header = `{"alg":"ES256","kid":"es-main","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      expectRejected(signRaw(header, CLAIMS, es), 'token_malformed');
    }
  });

  it('deeply nested payload (validly signed) → token_malformed', () => {
    for (const depth of [33, 100, 2000]) {
      const payload = `{"exp":${NOW_S + 600},"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
      expectRejected(signRaw({ alg: 'ES256', kid: 'es-main' }, payload, es), 'token_malformed');
    }
  });

  it.each([
    ['alg twice (second "none")', '{"alg":"ES256","kid":"es-main","alg":"none"}'],
    ['alg twice (first "none")', '{"alg":"none","kid":"es-main","alg":"ES256"}'],
    ['kid twice', '{"alg":"ES256","kid":"rs-main","kid":"es-main"}'],
    ['escaped-equal kid', '{"alg":"ES256","kid":"es-main","\\u006bid":"rs-main"}'],
    ['nested duplicate', '{"alg":"ES256","kid":"es-main","x":{"a":1,"a":2}}'],
    ['__proto__', '{"alg":"ES256","kid":"es-main","__proto__":{"alg":"none"}}'],
  ])('duplicate or forbidden header member: %s → token_malformed', (_name, header) => {
    expectRejected(signRaw(header, CLAIMS, es), 'token_malformed');
  });

  it.each([
    ['exp twice', `{"exp":${NOW_S - 10},"sub":"user-1","exp":${NOW_S + 600}}`],
    ['exp twice, reversed', `{"exp":${NOW_S + 600},"sub":"user-1","exp":${NOW_S - 10}}`],
    ['"\\u0065xp" vs "exp"', `{"exp":${NOW_S + 600},"\\u0065xp":${NOW_S - 10}}`],
    ['"su\\u0062" vs "sub"', `{"exp":${NOW_S + 600},"sub":"user-1","su\\u0062":"admin"}`],
    ['nested duplicate', `{"exp":${NOW_S + 600},"ctx":{"role":"user","role":"admin"}}`],
    ['duplicate inside an array element', `{"exp":${NOW_S + 600},"a":[{"r":1,"r":2}]}`],
    ['__proto__', `{"exp":${NOW_S + 600},"__proto__":{"admin":true}}`],
  ])('duplicate or forbidden payload member (validly signed): %s → token_malformed', (_name, payload) => {
    expectRejected(signRaw({ alg: 'ES256', kid: 'es-main' }, payload, es), 'token_malformed');
  });

  it.each([
    ['an array', `[{"exp":${NOW_S + 600}}]`],
    ['a number', `${NOW_S + 600}`],
    ['a string', '"user-1"'],
    ['null', 'null'],
    ['true', 'true'],
    ['empty', ''],
  ])('non-object payload (validly signed): %s → token_malformed', (_name, payload) => {
    expectRejected(signRaw({ alg: 'ES256', kid: 'es-main' }, payload, es), 'token_malformed');
  });

  it.each([
    ['a lone 0xff', [0xff]],
    ['a lone continuation byte', [0x80]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['a surrogate half', [0xed, 0xa0, 0x80]],
  ])('invalid UTF-8 (%s) → token_malformed, in the header and in the payload', (_name, bad) => {
    const withBad = (json: string) => {
      const at = json.indexOf('"X"') + 1;
      return Buffer.concat([
        Buffer.from(json.slice(0, at)),
        Buffer.from(bad),
        Buffer.from(json.slice(at + 1)),
      ]);
    };
    const header = withBad('{"alg":"ES256","kid":"es-main","n":"X"}');
    const payload = withBad(`{"exp":${NOW_S + 600},"n":"X"}`);
    expectRejected(signRaw(header, CLAIMS, es), 'token_malformed');
    expectRejected(signRaw({ alg: 'ES256', kid: 'es-main' }, payload, es), 'token_malformed');
  });
});

describe('header parameters that change the meaning', () => {
  it.each([
    [
      'crit naming an unknown extension',
      { crit: ['http://example.com/ext'], 'http://example.com/ext': true },
    ],
    ['crit naming exp', { crit: ['exp'], exp: NOW_S + 600 }],
    ['crit empty', { crit: [] }],
    ['crit naming b64 with b64 true', { crit: ['b64'], b64: true }],
  ])('%s → token_crit_unsupported', (_name, extra) => {
    expectRejected(signRaw({ alg: 'ES256', kid: 'es-main', ...extra }, CLAIMS, es), 'token_crit_unsupported');
  });

  it('b64:false (RFC 7797) → token_crit_unsupported, with or without crit', () => {
    expectRejected(
      signRaw({ alg: 'ES256', kid: 'es-main', b64: false }, CLAIMS, es),
      'token_crit_unsupported',
    );
    // A genuine RFC 7797 token with a detached, unencoded payload signed over "header.<raw JSON>".
    const header = segment({ alg: 'ES256', kid: 'es-main', b64: false, crit: ['b64'] });
    const signature = createSignature(es.spec, es.signingKey!, `${header}.${JSON.stringify(CLAIMS)}`);
    expectRejected(`${header}..${b64url(signature)}`, 'token_crit_unsupported');
  });
});

describe('algorithm/key mismatch with a kid (the key decides the algorithm)', () => {
  it.each(['PS256', 'RS384', 'RS512', 'PS512'] as const)(
    'RS256 key, header says %s, signature genuinely made with that key under %s',
    (alg) => {
      const sameKeyOtherAlg = importKey({ keyObject: rs.signingKey!, alg, kid: 'rs-main' });
      const token = signRaw({ alg, kid: 'rs-main' }, CLAIMS, sameKeyOtherAlg);
      // It verifies under a ring that holds the key for that alg...
      expect(verifyJwt(token, sameKeyOtherAlg, { now: NOW }).payload.sub).toBe('user-1');
      // ...but never under the ring that bound the key to RS256.
      expectRejected(token, 'token_alg_not_allowed');
    },
  );

  it('ES256 key, header says ES384 or ES512', () => {
    for (const alg of ['ES384', 'ES512'] as const) {
      expectRejected(signRaw({ alg, kid: 'es-main' }, CLAIMS, es), 'token_alg_not_allowed');
    }
  });

  it('ES512 key named by kid, header says EdDSA', () => {
    expectRejected(signRaw({ alg: 'EdDSA', kid: 'es512-main' }, CLAIMS, es512), 'token_alg_not_allowed');
  });
});

describe('claims, end to end', () => {
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    signRaw({ alg: 'ES256', kid: 'es-main', ...header }, claims, es);

  it.each([
    [
      'exp exactly now, tolerance 0',
      { ...CLAIMS, exp: NOW_S },
      { clockToleranceSeconds: 0 },
      'token_expired',
    ],
    [
      'exp 1 s ago, tolerance 0',
      { ...CLAIMS, exp: NOW_S - 1 },
      { clockToleranceSeconds: 0 },
      'token_expired',
    ],
    ['exp missing', { sub: 'user-1' }, {}, 'token_claim_invalid'],
    ['exp a string', { ...CLAIMS, exp: String(NOW_S + 600) }, {}, 'token_claim_invalid'],
    ['exp null', { ...CLAIMS, exp: null }, {}, 'token_claim_invalid'],
    ['exp an array', { ...CLAIMS, exp: [NOW_S + 600] }, {}, 'token_claim_invalid'],
    ['nbf a string', { ...CLAIMS, nbf: 'yesterday' }, {}, 'token_claim_invalid'],
    ['nbf in the future', { ...CLAIMS, nbf: NOW_S + 3600 }, {}, 'token_not_yet_valid'],
    ['iat a string', { ...CLAIMS, iat: String(NOW_S) }, {}, 'token_claim_invalid'],
    ['iat a boolean', { ...CLAIMS, iat: true }, {}, 'token_claim_invalid'],
    ['iat in the future', { ...CLAIMS, iat: NOW_S + 3600 }, {}, 'token_not_yet_valid'],
    [
      'iat older than maxTokenAgeSeconds',
      { ...CLAIMS, iat: NOW_S - 3600 },
      { maxTokenAgeSeconds: 600 },
      'token_expired',
    ],
    [
      'iat missing with maxTokenAgeSeconds',
      { exp: NOW_S + 600 },
      { maxTokenAgeSeconds: 600 },
      'token_claim_invalid',
    ],
    [
      'aud with a non-string member',
      { ...CLAIMS, aud: ['api', { $ne: 1 }] },
      { audience: 'api' },
      'token_claim_invalid',
    ],
    ['aud with a number member', { ...CLAIMS, aud: ['api', 1] }, {}, 'token_claim_invalid'],
    ['aud an empty array', { ...CLAIMS, aud: [] }, {}, 'token_claim_invalid'],
    [
      'aud an empty array, audience required',
      { ...CLAIMS, aud: [] },
      { audience: 'api' },
      'token_claim_invalid',
    ],
    ['aud not accepted', { ...CLAIMS, aud: 'admin-api' }, { audience: 'api' }, 'token_claim_invalid'],
    [
      'iss mismatch',
      { ...CLAIMS, iss: 'https://evil.example' },
      { issuer: 'https://tessera.example' },
      'token_claim_invalid',
    ],
    [
      'iss a prefix match',
      { ...CLAIMS, iss: 'https://tessera.example.evil' },
      { issuer: 'https://tessera.example' },
      'token_claim_invalid',
    ],
    [
      'iss not a string',
      { ...CLAIMS, iss: ['https://tessera.example'] },
      { issuer: 'https://tessera.example' },
      'token_claim_invalid',
    ],
    ['a required claim missing', CLAIMS, { requiredClaims: ['jti'] }, 'token_claim_invalid'],
  ] as const)('%s → %s', (_name, claims, options, code) => {
    expectRejected(sign(claims), code, options, ['https://evil.example']);
  });

  it.each([
    ['JWT', 'at+jwt', false],
    ['jwt', 'at+jwt', false],
    ['at+jwt', 'at+jwt', true],
    ['AT+JWT', 'at+jwt', true],
    ['application/at+jwt', 'at+jwt', true],
    ['Application/At+Jwt', 'at+jwt', true],
    ['at+jwt', 'application/at+jwt', true],
    ['application/jwt', 'at+jwt', false],
  ])('typ %j with expected typ %j: accepted = %s', (typ, expected, ok) => {
    const token = sign(CLAIMS, { typ });
    if (ok) expect(verify(token, { typ: expected }).header.typ).toBe(typ);
    else expectRejected(token, 'token_claim_invalid', { typ: expected });
  });

  it('a missing typ fails a typ requirement', () => {
    expectRejected(sign(CLAIMS), 'token_claim_invalid', { typ: 'at+jwt' });
  });

  it.each([
    ['clockToleranceSeconds 301', { clockToleranceSeconds: 301 }],
    ['clockToleranceSeconds -1', { clockToleranceSeconds: -1 }],
    ['empty algorithms', { algorithms: [] }],
  ] as const)('option %s → TypeError (a programmer error, not a token error)', (_name, options) => {
    expect(() => verify(sign(CLAIMS), options)).toThrow(TypeError);
  });
});
