import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import type { JwsKey } from '../../../src/token/key.js';
import {
  buildProtectedHeader,
  requireSigningKey,
  signEncodedJws,
  signJws,
  signSegments,
} from '../../../src/token/jws-sign.js';
import { verifyJws } from '../../../src/token/jws-verify.js';
import { b64url, expectTokenError, segment } from '../../helpers/token-kit.js';

let es: JwsKey;
let hs: JwsKey;
let publicOnly: JwsKey;

beforeAll(() => {
  es = generateKey('ES384', { kid: 'es-1' });
  hs = generateKey('HS256', { kid: 'hs-1' });
  publicOnly = importKey({ alg: 'ES384', keyObject: es.verificationKey, kid: 'es-pub' });
});

describe('signJws', () => {
  it('signs bytes or text; the header carries the key alg and kid', () => {
    for (const payload of ['hello', new Uint8Array([0, 255, 1]), '']) {
      const token = signJws(payload, es, { cty: 'text/plain' });
      const { header, payload: bytes } = verifyJws(token, es);
      expect(header).toEqual({ alg: 'ES384', kid: 'es-1', cty: 'text/plain' });
      expect(Buffer.compare(bytes, Buffer.from(payload))).toBe(0);
    }
  });

  it.each(['alg', 'kid', 'crit', 'b64', 'jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'])(
    'refuses a caller-supplied %j header member',
    (name) => {
      expect(() => signJws('x', hs, { [name]: undefined })).toThrow(TypeError);
      expect(() => buildProtectedHeader(hs, { [name]: 'x' })).toThrow(TypeError);
    },
  );

  it('cannot sign with a verification-only key', () => {
    expect(() => signJws('x', publicOnly)).toThrow(/verification-only/);
    expect(() => requireSigningKey(publicOnly)).toThrow(/verification-only/);
    expect(requireSigningKey(es)).toBe(es.signingKey);
  });
});

describe('signEncodedJws', () => {
  it('signs the segments exactly as given', () => {
    const header = b64url('{"alg":"HS256",\r\n "kid":"hs-1"}');
    const token = signEncodedJws(header, 'eyJhIjoxfQ', hs);
    expect(token.startsWith(`${header}.eyJhIjoxfQ.`)).toBe(true);
    expect(verifyJws(token, hs).payload.toString()).toBe('{"a":1}');
  });

  it.each([
    ['another algorithm', { alg: 'HS512' }, 'token_alg_not_allowed'],
    ['"none"', { alg: 'none' }, 'token_alg_not_allowed'],
    ['no alg', { kid: 'hs-1' }, 'token_malformed'],
    ['crit', { alg: 'HS256', crit: ['x'] }, 'token_crit_unsupported'],
    ['b64:false', { alg: 'HS256', b64: false }, 'token_crit_unsupported'],
    ['a duplicate member', '{"alg":"HS256","alg":"HS256"}', 'token_malformed'],
    ['not JSON', 'alg=HS256', 'token_malformed'],
  ] as const)('refuses a header with %s', (_name, header, code) => {
    expectTokenError(() => signEncodedJws(segment(header), 'e30', hs), code);
  });

  it('refuses a header segment that is not strict base64url', () => {
    expectTokenError(() => signEncodedJws(`${segment({ alg: 'HS256' })}=`, 'e30', hs), 'token_malformed');
  });

  it.each(['e30=', 'e3 0', 'e+0', 'e/0'])(
    'refuses a payload segment %j that is not strict base64url (it would sign what it cannot verify)',
    (payloadSegment) => {
      expectTokenError(
        () => signEncodedJws(segment({ alg: 'HS256' }), payloadSegment, hs),
        'token_malformed',
      );
    },
  );

  it('cannot sign with a verification-only key', () => {
    expect(() => signEncodedJws(segment({ alg: 'ES384' }), 'e30', publicOnly)).toThrow(/verification-only/);
  });
});

describe('signSegments', () => {
  it('joins header, payload and signature', () => {
    const token = signSegments('aGVhZGVy', 'cGF5bG9hZA', hs);
    const parts = token.split('.');
    expect(parts.slice(0, 2)).toEqual(['aGVhZGVy', 'cGF5bG9hZA']);
    expect(Buffer.from(parts[2]!, 'base64url').length).toBe(32);
  });
});
