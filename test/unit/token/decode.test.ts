import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { decodeJwtUnverified } from '../../../src/token/decode.js';
import type { JwsKey } from '../../../src/token/key.js';
import { signJwt } from '../../../src/token/jwt-sign.js';
import { b64url, expectTokenError, segment } from '../../helpers/token-kit.js';

let key: JwsKey;

beforeAll(() => {
  key = generateKey('HS256', { kid: 'hs-1' });
});

describe('decodeJwtUnverified', () => {
  it('decodes header and payload without checking anything else', () => {
    const token = signJwt({ exp: 1, sub: 'u' }, key, { typ: 'JWT' });
    const decoded = decodeJwtUnverified(token);
    expect(decoded.header).toEqual({ alg: 'HS256', kid: 'hs-1', typ: 'JWT' });
    expect(decoded.payload).toEqual({ exp: 1, sub: 'u' });
    expect(decoded.signature).toBe(token.split('.')[2]);
  });

  it('decodes an expired, unsigned or unknown-alg token (display only)', () => {
    const token = `${segment({ alg: 'none' })}.${segment({ exp: 0 })}.`;
    expect(decodeJwtUnverified(token).header.alg).toBe('none');
  });

  it.each([
    ['one part', 'e30'],
    ['two parts', 'e30.e30'],
    ['four parts', 'e30.e30.e30.e30'],
    ['five parts', 'e30.e30.e30.e30.e30'],
    ['empty', ''],
  ])('refuses %s', (_name, token) => {
    expectTokenError(() => decodeJwtUnverified(token), 'token_malformed');
  });

  it.each([
    ['a padded header', `e30=.e30.x`],
    ['a header with whitespace', `e3 0.e30.x`],
    ['an empty header', `.e30.x`],
    ['a padded payload', `e30.e30=.x`],
    ['a payload with "+"', `e30.e+0.x`],
    ['a header that is not JSON', `${b64url('{')}.e30.x`],
    ['a header that is an array', `${b64url('[]')}.e30.x`],
    ['a payload that is a number', `e30.${b64url('1')}.x`],
    ['a payload with a duplicate member', `e30.${b64url('{"a":1,"a":2}')}.x`],
    ['a payload with __proto__', `e30.${b64url('{"__proto__":{}}')}.x`],
    ['a payload that is not UTF-8', `e30.${b64url(Buffer.from([0x22, 0xff, 0x22]))}.x`],
    ['a deeply nested payload', `e30.${b64url(`{"a":${'['.repeat(40)}${']'.repeat(40)}}`)}.x`],
  ])('applies the strict parsing to %s', (_name, token) => {
    expectTokenError(() => decodeJwtUnverified(token), 'token_malformed', { notInMessage: [token] });
  });
});

describe('decodeJwtUnverified: input guards', () => {
  it("answers a non-string with 'token_malformed' rather than a TypeError", () => {
    expect(() => decodeJwtUnverified(42 as unknown as string)).toThrow(
      expect.objectContaining({ code: 'token_malformed' }),
    );
  });

  it("refuses a token over the size cap with 'token_too_large' before decoding", () => {
    expect(() => decodeJwtUnverified(`${'!'.repeat(20_000)}.a.b`)).toThrow(
      expect.objectContaining({ code: 'token_too_large' }),
    );
  });
});
