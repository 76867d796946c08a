import { beforeAll, describe, expect, it } from 'vitest';
import { generateKey } from '../../../src/keys/generate-key.js';
import { importKey } from '../../../src/keys/import-key.js';
import { exportPrivateJwk, exportPublicJwk } from '../../../src/keys/jwk.js';
import { buildJwks } from '../../../src/keys/jwks.js';
import { computeJwkThumbprint } from '../../../src/keys/thumbprint.js';
import type { JwsAlgorithm } from '../../../src/token/algorithms.js';
import type { JwsKey } from '../../../src/token/key.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];
const ASYMMETRIC: JwsAlgorithm[] = ['RS256', 'PS384', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const keys = {} as Record<JwsAlgorithm, JwsKey>;

beforeAll(() => {
  for (const alg of [...ASYMMETRIC, 'HS256'] as JwsAlgorithm[])
    keys[alg] = generateKey(alg, { kid: `kid-${alg}` });
});

describe('exportPublicJwk', () => {
  it.each(ASYMMETRIC)('%s: only public members, plus kid, alg and use', (alg) => {
    const jwk = exportPublicJwk(keys[alg]);
    for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    expect(jwk).toMatchObject({ kid: `kid-${alg}`, alg, use: 'sig' });
    const expectedMembers = { RSA: ['e', 'n'], EC: ['crv', 'x', 'y'], OKP: ['crv', 'x'] }[jwk.kty]!;
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'kid', 'kty', 'use', ...expectedMembers].sort());
  });

  it.each(ASYMMETRIC)(
    '%s: round-trips into a verification-only key with the same kid and thumbprint',
    (alg) => {
      const jwk = exportPublicJwk(keys[alg]);
      const imported = importKey({ alg, jwk });
      expect(imported.kid).toBe(`kid-${alg}`);
      expect(imported.signingKey).toBeUndefined();
      expect(importKey({ alg, jwk: { ...jwk, kid: undefined } }).kid).toBe(computeJwkThumbprint(jwk));
    },
  );

  it('is the same for a verification-only key', () => {
    const publicOnly = importKey({ alg: 'ES256', keyObject: keys.ES256.verificationKey, kid: 'kid-ES256' });
    expect(exportPublicJwk(publicOnly)).toEqual(exportPublicJwk(keys.ES256));
  });

  it('refuses an HMAC key: it has no public form (TypeError)', () => {
    expect(() => exportPublicJwk(keys.HS256)).toThrow(TypeError);
    expect(() => exportPublicJwk(keys.HS256)).toThrow(/kid-HS256/);
  });
});

describe('exportPrivateJwk', () => {
  it.each([...ASYMMETRIC, 'HS256'] as JwsAlgorithm[])(
    '%s: round-trips into an equivalent signing key',
    (alg) => {
      const jwk = exportPrivateJwk(keys[alg]);
      expect(jwk).toMatchObject({ kid: `kid-${alg}`, alg, use: 'sig' });
      expect(jwk).toHaveProperty(alg === 'HS256' ? 'k' : 'd');
      const imported = importKey({ alg, jwk });
      expect(imported.signingKey).toBeDefined();
      expect(imported.kid).toBe(`kid-${alg}`);
    },
  );

  it('refuses a verification-only key (TypeError)', () => {
    const publicOnly = importKey({ alg: 'ES256', keyObject: keys.ES256.verificationKey, kid: 'pub' });
    expect(() => exportPrivateJwk(publicOnly)).toThrow(TypeError);
    expect(() => exportPrivateJwk(publicOnly)).toThrow(/no private part/);
  });
});

describe('buildJwks', () => {
  it('publishes the public keys and skips HMAC secrets', () => {
    const jwks = buildJwks(Object.values(keys));
    expect(jwks.keys.map((jwk) => jwk.alg).sort()).toEqual([...ASYMMETRIC].sort());
    const text = JSON.stringify(jwks);
    for (const member of PRIVATE_MEMBERS) expect(text).not.toContain(`"${member}":`);
  });

  it('is empty for no keys or only HMAC keys', () => {
    expect(buildJwks([])).toEqual({ keys: [] });
    expect(buildJwks([keys.HS256])).toEqual({ keys: [] });
  });
});
