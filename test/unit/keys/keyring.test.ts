import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import { KeyRing } from '../../../src/keys/keyring.js';
import type { JwsKey } from '../../../src/token/key.js';

let es1: JwsKey;
let es2: JwsKey;
let ed: JwsKey;
let hs: JwsKey;
let esPublic: JwsKey;

beforeAll(() => {
  es1 = generateKey('ES256', { kid: 'es-1' });
  es2 = generateKey('ES256', { kid: 'es-2' });
  ed = generateKey('EdDSA', { kid: 'ed-1' });
  hs = generateKey('HS256', { kid: 'hs-1' });
  esPublic = importKey({ alg: 'ES256', keyObject: es1.verificationKey, kid: 'es-pub' });
});

describe('KeyRing', () => {
  it('signs with the first key that has a private part, unless told otherwise', () => {
    expect(new KeyRing([esPublic, ed, es1]).signingKey).toBe(ed);
    expect(new KeyRing([es1, ed], { signingKid: 'ed-1' }).signingKey).toBe(ed);
  });

  it('has no signing key when it holds only public keys', () => {
    const ring = new KeyRing([esPublic]);
    expect(() => ring.signingKey).toThrow(TypeError);
    expect(() => new KeyRing().signingKey).toThrow(TypeError);
  });

  it.each([
    ['an unknown kid', 'nope'],
    ['a verification-only key', 'es-pub'],
  ])('refuses to sign with %s', (_name, kid) => {
    expect(() => new KeyRing([es1, esPublic], { signingKid: kid })).toThrow(TypeError);
    const ring = new KeyRing([es1, esPublic]);
    const version = ring.version;
    expect(() => ring.setSigningKey(kid)).toThrow(TypeError);
    expect(ring.signingKey).toBe(es1);
    expect(ring.version).toBe(version);
  });

  describe('findKey', () => {
    it('with a kid: the key of that id, whatever the alg asked for', () => {
      const ring = new KeyRing([es1, ed, hs]);
      expect(ring.findKey('es-1', 'ES256')).toBe(es1);
      expect(ring.findKey('es-1', 'HS256')).toBe(es1); // the verifier then refuses the alg mismatch
      expect(ring.findKey('missing', 'ES256')).toBeUndefined();
    });

    it('with a kid: never a prototype member', () => {
      const ring = new KeyRing([es1]);
      for (const kid of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        expect(ring.findKey(kid, 'ES256')).toBeUndefined();
      }
    });

    it('without a kid: the only key of that alg', () => {
      const ring = new KeyRing([es1, ed, hs]);
      expect(ring.findKey(undefined, 'ES256')).toBe(es1);
      expect(ring.findKey(undefined, 'EdDSA')).toBe(ed);
      expect(ring.findKey(undefined, 'ES384')).toBeUndefined();
    });

    it('without a kid: nothing when two keys share the alg (ambiguous)', () => {
      const ring = new KeyRing([es1, es2, ed]);
      expect(ring.findKey(undefined, 'ES256')).toBeUndefined();
      expect(ring.findKey('es-2', 'ES256')).toBe(es2);
      expect(ring.findKey(undefined, 'EdDSA')).toBe(ed);
    });
  });

  describe('add and remove', () => {
    it('refuses a different key under an existing kid', () => {
      const ring = new KeyRing([es1]);
      const impostor = generateKey('ES256', { kid: 'es-1' });
      expect(() => ring.add(impostor)).toThrow(TypeError);
      expect(ring.findKey('es-1', 'ES256')).toBe(es1);
      expect(() => new KeyRing([es1, impostor])).toThrow(TypeError);
    });

    it('accepts the same key object twice', () => {
      const ring = new KeyRing([es1]);
      expect(() => ring.add(es1)).not.toThrow();
      expect(ring.list()).toEqual([es1]);
    });

    it('refuses to remove the signing key', () => {
      const ring = new KeyRing([es1, ed]);
      expect(() => ring.remove('es-1')).toThrow(TypeError);
      expect(ring.findKey('es-1', 'ES256')).toBe(es1);
      ring.setSigningKey('ed-1');
      ring.remove('es-1');
      expect(ring.findKey('es-1', 'ES256')).toBeUndefined();
    });

    it('removing an unknown kid changes nothing', () => {
      const ring = new KeyRing([es1, ed]);
      const version = ring.version;
      ring.remove('missing');
      expect(ring.version).toBe(version);
    });
  });

  it('bumps its version on every change, never on reads', () => {
    const ring = new KeyRing([es1]);
    const versions = [ring.version];
    ring.add(ed);
    versions.push(ring.version);
    ring.setSigningKey('ed-1');
    versions.push(ring.version);
    ring.remove('es-1');
    versions.push(ring.version);
    for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
    ring.findKey('ed-1', 'EdDSA');
    ring.list();
    ring.jwks();
    void ring.signingKey;
    expect(ring.version).toBe(versions[versions.length - 1]);
  });

  it('lists its keys and publishes only the public ones', () => {
    const ring = new KeyRing([es1, hs, ed]);
    expect(ring.list()).toEqual([es1, hs, ed]);
    const jwks = ring.jwks();
    expect(jwks.keys.map((jwk) => jwk.kid)).toEqual(['es-1', 'ed-1']);
    expect(JSON.stringify(jwks)).not.toMatch(/"d"|"k"/);
  });
});
