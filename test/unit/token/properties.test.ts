import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import type { JwsAlgorithm } from '../../../src/token/algorithms.js';
import { decodeJwtUnverified } from '../../../src/token/decode.js';
import { TokenError } from '../../../src/token/errors.js';
import type { JwsKey } from '../../../src/token/key.js';
import { signSegments } from '../../../src/token/jws-sign.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { createJwtVerifier, verifyJwt } from '../../../src/token/jwt-verify.js';
import { b64url, NOW, NOW_S } from '../../helpers/token-kit.js';

const ALGS = ['HS256', 'ES256', 'EdDSA', 'RS256', 'PS256'] as const satisfies readonly JwsAlgorithm[];
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const keys = {} as Record<(typeof ALGS)[number], JwsKey>;
let ring: KeyRing;

beforeAll(() => {
  for (const alg of ALGS) keys[alg] = generateKey(alg, { kid: `kid-${alg}` });
  ring = new KeyRing(Object.values(keys));
});

/** Runs fn and reports what it threw: nothing, a TokenError, or something else (a failure). */
function outcome(fn: () => unknown): 'ok' | 'token-error' | string {
  try {
    fn();
    return 'ok';
  } catch (error) {
    if (error instanceof TokenError) return 'token-error';
    return `unexpected ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`;
  }
}

const REGISTERED = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti']);
const noProto = (value: unknown) => !JSON.stringify(value).includes('"__proto__"');

const customClaims = fc
  .dictionary(
    fc.string({ maxLength: 12 }).filter((name) => !REGISTERED.has(name) && name !== '__proto__'),
    fc.jsonValue({ maxDepth: 4 }),
    { maxKeys: 6 },
  )
  .filter(noProto);

const claimSet = fc.record(
  {
    iss: fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
    sub: fc.string({ unit: 'binary', maxLength: 40 }),
    aud: fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.array(fc.string({ minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 4 }),
    ),
    exp: fc.integer({ min: NOW_S + 1, max: NOW_S + 10 ** 9 }),
    iat: fc.integer({ min: NOW_S - 10 ** 6, max: NOW_S }),
    nbf: fc.integer({ min: NOW_S - 10 ** 6, max: NOW_S }),
    jti: fc.uuid(),
  },
  { requiredKeys: ['exp'] },
);

describe('sign/verify round trip', () => {
  it.each(ALGS)('%s: any claim set signed by the key verifies to the same claims', (alg) => {
    fc.assert(
      fc.property(claimSet, customClaims, (registered, custom) => {
        const claims = { ...custom, ...registered };
        const token = signJwt(claims, keys[alg], { typ: 'at+jwt' });
        const audience = registered.aud === undefined ? undefined : [registered.aud].flat()[0];
        const { header, payload } = verifyJwt(token, ring, {
          now: NOW,
          typ: 'at+jwt',
          clockToleranceSeconds: 0,
          ...(registered.iss === undefined ? {} : { issuer: registered.iss }),
          ...(audience === undefined ? {} : { audience }),
        });
        expect(header).toEqual({ alg, kid: `kid-${alg}`, typ: 'at+jwt' });
        expect(payload).toEqual(JSON.parse(JSON.stringify(claims)));
      }),
      { numRuns: alg.startsWith('HS') ? 200 : 60 },
    );
  });
});

describe('any single-byte change breaks verification', () => {
  it('HS256: every position, every base64url character plus ".", "=", " " and a non-ASCII byte', () => {
    const token = signJwt({ exp: NOW_S + 600, sub: 'user-1', roles: ['a', 'b'] }, keys.HS256, { typ: 'JWT' });
    const replacements = `${ALPHABET}.= \u00ff`;
    let checked = 0;
    for (let i = 0; i < token.length; i++) {
      for (const ch of replacements) {
        if (ch === token[i]) continue;
        const mutated = token.slice(0, i) + ch + token.slice(i + 1);
        expect(outcome(() => verifyJwt(mutated, ring, { now: NOW }))).toBe('token-error');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10_000);
  });

  it.each(['ES256', 'EdDSA', 'RS256', 'PS256'] as const)('%s: random positions and bytes', (alg) => {
    const token = signJwt({ exp: NOW_S + 600, sub: 'user-1', aud: ['api'] }, keys[alg]);
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.integer({ min: 0, max: 255 }), (position, byte) => {
        const ch = String.fromCharCode(byte);
        fc.pre(ch !== token[position]);
        const mutated = token.slice(0, position) + ch + token.slice(position + 1);
        expect(outcome(() => verifyJwt(mutated, ring, { now: NOW }))).toBe('token-error');
      }),
      { numRuns: 400 },
    );
  });

  it('ES256: every position of the signature, to every other base64url character', () => {
    const token = signJwt({ exp: NOW_S + 600 }, keys.ES256);
    const start = token.lastIndexOf('.') + 1;
    for (let i = start; i < token.length; i++) {
      for (const ch of ALPHABET) {
        if (ch === token[i]) continue;
        const mutated = token.slice(0, i) + ch + token.slice(i + 1);
        expect(outcome(() => verifyJwt(mutated, ring, { now: NOW }))).toBe('token-error');
      }
    }
  });
});

describe('garbage never throws anything but a TokenError', () => {
  let verifier: ReturnType<typeof createJwtVerifier>;
  beforeAll(() => {
    verifier = createJwtVerifier(ring, { cache: { maxEntries: 16 }, audience: 'api', typ: 'at+jwt' });
  });
  const everyEntryPoint = (input: unknown) => {
    const results = [
      outcome(() => verifyJwt(input, ring, { now: NOW })),
      outcome(() => verifier.verify(input, NOW)),
      outcome(() => verifyJwt(input, keys.ES256, { now: NOW, issuer: 'x', maxTokenAgeSeconds: 10 })),
    ];
    if (typeof input === 'string') results.push(outcome(() => decodeJwtUnverified(input)));
    for (const result of results) expect(['token-error', 'ok']).toContain(result);
    return results;
  };

  const b64Segment = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 120 });
  const anySegment = fc.oneof(
    b64Segment,
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.uint8Array({ maxLength: 90 }).map(b64url),
    fc.jsonValue({ maxDepth: 5 }).map((value) => b64url(JSON.stringify(value) ?? '')),
  );

  it('arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (input) => {
        expect(everyEntryPoint(input).every((result) => result === 'token-error')).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('arbitrary values of any type', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        everyEntryPoint(input);
      }),
      { numRuns: 500 },
    );
  });

  it('dot-separated segments of any kind and count', () => {
    fc.assert(
      fc.property(fc.array(anySegment, { minLength: 0, maxLength: 6 }), (segments) => {
        everyEntryPoint(segments.join('.'));
      }),
      { numRuns: 1000 },
    );
  });

  const headerValue = fc.oneof(
    fc.constantFrom(...ALGS, 'none', 'NONE', 'HS512', 'ES512', 'toString', '__proto__', ''),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const header = fc.record(
    {
      alg: headerValue,
      kid: fc.oneof(
        fc.constantFrom(...ALGS.map((alg) => `kid-${alg}`), '../x', ''),
        fc.jsonValue({ maxDepth: 1 }),
      ),
      typ: fc.oneof(fc.constantFrom('at+jwt', 'JWT'), fc.jsonValue({ maxDepth: 1 })),
      crit: fc.jsonValue({ maxDepth: 1 }),
      b64: fc.jsonValue({ maxDepth: 0 }),
      jwk: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  );
  const payload = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.record(
      {
        exp: fc.oneof(fc.integer({ min: NOW_S - 100, max: NOW_S + 100 }), fc.jsonValue({ maxDepth: 1 })),
        nbf: fc.oneof(fc.integer({ min: NOW_S - 100, max: NOW_S + 100 }), fc.jsonValue({ maxDepth: 1 })),
        iat: fc.oneof(fc.integer({ min: NOW_S - 100, max: NOW_S + 100 }), fc.jsonValue({ maxDepth: 1 })),
        aud: fc.oneof(fc.constant('api'), fc.jsonValue({ maxDepth: 2 })),
        iss: fc.jsonValue({ maxDepth: 1 }),
        sub: fc.jsonValue({ maxDepth: 1 }),
        jti: fc.jsonValue({ maxDepth: 1 }),
      },
      { requiredKeys: [] },
    ),
  );

  it('structured headers and payloads with random or genuine signatures', () => {
    fc.assert(
      fc.property(
        header,
        payload,
        fc.oneof(fc.constant('genuine' as const), fc.uint8Array({ maxLength: 300 })),
        fc.constantFrom(...ALGS),
        (h, p, signature, signer) => {
          const input = `${b64url(JSON.stringify(h))}.${b64url(JSON.stringify(p) ?? '')}`;
          const sig = signature === 'genuine' ? signJwtSegments(input, keys[signer]) : b64url(signature);
          everyEntryPoint(`${input}.${sig}`);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('random edits of a valid token (insert, delete, duplicate, swap segments)', () => {
    const tokens = ALGS.map((alg) => signJwt({ exp: NOW_S + 600, aud: 'api' }, keys[alg], { typ: 'at+jwt' }));
    const edit = fc.oneof(
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        text: fc.string({ unit: 'binary', maxLength: 4 }),
      }),
      fc.record({
        kind: fc.constant('delete' as const),
        at: fc.nat(),
        length: fc.integer({ min: 1, max: 8 }),
      }),
      fc.record({ kind: fc.constant('swap' as const), a: fc.nat(2), b: fc.nat(2) }),
      fc.record({ kind: fc.constant('splice' as const), from: fc.nat(tokens.length - 1), part: fc.nat(2) }),
    );
    fc.assert(
      fc.property(
        fc.nat(tokens.length - 1),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (which, edits) => {
          let token = tokens[which]!;
          for (const e of edits) {
            if (e.kind === 'insert') {
              const at = e.at % (token.length + 1);
              token = token.slice(0, at) + e.text + token.slice(at);
            } else if (e.kind === 'delete') {
              const at = e.at % Math.max(token.length, 1);
              token = token.slice(0, at) + token.slice(at + e.length);
            } else if (e.kind === 'swap') {
              const parts = token.split('.');
              [parts[e.a], parts[e.b]] = [parts[e.b]!, parts[e.a]!];
              token = parts.join('.');
            } else {
              const parts = token.split('.');
              parts[e.part] = tokens[e.from]!.split('.')[e.part]!;
              token = parts.join('.');
            }
          }
          const results = everyEntryPoint(token);
          // A changed token may only verify if it is, byte for byte, one of the genuine tokens.
          if (!tokens.includes(token)) expect(results[0]).toBe('token-error');
        },
      ),
      { numRuns: 1000 },
    );
  });
});

function signJwtSegments(signingInput: string, key: JwsKey): string {
  const [headerSegment, payloadSegment] = signingInput.split('.') as [string, string];
  return signSegments(headerSegment, payloadSegment, key).split('.')[2]!;
}
