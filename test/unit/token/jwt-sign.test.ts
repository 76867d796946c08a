import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import type { JwtClaims } from '../../../src/token/claims.js';
import type { JwsKey } from '../../../src/token/key.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { verifyJwt } from '../../../src/token/jwt-verify.js';
import { NOW, NOW_S } from '../../helpers/token-kit.js';

let key: JwsKey;
let hs: JwsKey;

beforeAll(() => {
  key = generateKey('EdDSA', { kid: 'ed-1' });
  hs = generateKey('HS512', { kid: 'hs-1' });
});

const decodeHeader = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as unknown;

describe('signJwt', () => {
  it('signs a claim set the verifier accepts, with alg and kid from the key', () => {
    const claims = { exp: NOW_S + 60, sub: 'u1', aud: ['a', 'b'], custom: { nested: [1, 'x', null] } };
    for (const k of [key, hs]) {
      const token = signJwt(claims, k);
      expect(decodeHeader(token)).toEqual({ alg: k.alg, kid: k.kid });
      expect(verifyJwt(token, k, { now: NOW }).payload).toEqual(claims);
    }
  });

  it('puts typ and extra header members in the header', () => {
    expect(decodeHeader(signJwt({ exp: NOW_S + 60 }, key, { typ: 'at+jwt' }))).toEqual({
      alg: 'EdDSA',
      kid: 'ed-1',
      typ: 'at+jwt',
    });
    expect(decodeHeader(signJwt({ exp: NOW_S + 60 }, key, { typ: 'JWT', header: { cty: 'x' } }))).toEqual({
      alg: 'EdDSA',
      kid: 'ed-1',
      typ: 'JWT',
      cty: 'x',
    });
  });

  it('keeps the header segment per key and typ apart', () => {
    const [a] = signJwt({ exp: NOW_S + 60 }, key, { typ: 'at+jwt' }).split('.');
    const [b] = signJwt({ exp: NOW_S + 60 }, key).split('.');
    const [c] = signJwt({ exp: NOW_S + 60 }, key, { typ: 'at+jwt' }).split('.');
    const [d] = signJwt({ exp: NOW_S + 60 }, hs, { typ: 'at+jwt' }).split('.');
    expect(a).toBe(c);
    expect(a).not.toBe(b);
    expect(a).not.toBe(d);
    expect(decodeHeader(`${b}.`)).toEqual({ alg: 'EdDSA', kid: 'ed-1' });
  });

  it.each(['alg', 'kid', 'crit', 'b64', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'])(
    'refuses to let the caller set the header member %j (TypeError)',
    (name) => {
      expect(() => signJwt({ exp: NOW_S + 60 }, key, { header: { [name]: 'x' } })).toThrow(TypeError);
    },
  );

  it.each([
    ['null', null],
    ['an array', [{ exp: 1 }]],
    ['a string', 'exp=1'],
    ['exp missing', {}],
    ['exp a string', { exp: '1700000000' }],
    ['exp NaN', { exp: NaN }],
    ['exp Infinity', { exp: Infinity }],
    ['exp null', { exp: null }],
    ['nbf a string', { exp: 1, nbf: 'x' }],
    ['nbf NaN', { exp: 1, nbf: NaN }],
    ['iat a Date', { exp: 1, iat: new Date() }],
    ['iat -Infinity', { exp: 1, iat: -Infinity }],
    ['iss a number', { exp: 1, iss: 1 }],
    ['sub an object', { exp: 1, sub: { id: 1 } }],
    ['jti a number', { exp: 1, jti: 7 }],
    ['aud a number', { exp: 1, aud: 1 }],
    ['aud an empty array', { exp: 1, aud: [] }],
    ['aud with a non-string member', { exp: 1, aud: ['a', 1] }],
    ['aud null', { exp: 1, aud: null }],
  ])('refuses claims that are %s (TypeError: a programmer error)', (_name, claims) => {
    expect(() => signJwt(claims as unknown as JwtClaims, key)).toThrow(TypeError);
  });

  it('refuses an array even when it carries an exp property', () => {
    const arrayClaims = Object.assign([], { exp: NOW_S + 60 }) as unknown as JwtClaims;
    expect(() => signJwt(arrayClaims, key)).toThrow(/plain object/);
    expect(() => signJwt(null as unknown as JwtClaims, key)).toThrow(/plain object/);
  });

  it('cannot sign with a verification-only key', () => {
    const publicOnly = importKey({ alg: 'EdDSA', keyObject: key.verificationKey, kid: 'ed-pub' });
    expect(() => signJwt({ exp: NOW_S + 60 }, publicOnly)).toThrow(/verification-only/);
  });

  it('produces deterministic output for deterministic algorithms', () => {
    const claims = { exp: NOW_S + 60, sub: 'u' };
    expect(signJwt(claims, hs)).toBe(signJwt(claims, hs));
    expect(signJwt(claims, key)).toBe(signJwt(claims, key));
  });
});
