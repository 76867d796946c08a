import { afterEach, describe, expect, it } from 'vitest';
import { exportPublicJwks, listSigningKeys } from '../../../../src/flows/keys/key-admin.js';
import { generateKey } from '../../../../src/keys/generate-key.js';
import { exportPrivateJwk } from '../../../../src/keys/jwk.js';
import type { TestDeps } from '../../../helpers/test-deps.js';
import { TEST_START } from '../../../helpers/test-deps.js';
import { depsOn, STORE_KINDS } from '../fixtures.js';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe.each(STORE_KINDS)('key admin over %s stores', (kind) => {
  let deps: TestDeps;
  afterEach(async () => {
    await deps.stores.close();
  });

  it('lists the stored keys with state and creation time, and no private member', async () => {
    deps = await depsOn(kind);
    const keys = await listSigningKeys(deps);
    expect(keys).toEqual([
      {
        kid: deps.keys.signingKey.kid,
        alg: 'ES256',
        state: 'current',
        created_at: TEST_START.toISOString(),
        signing: true,
        public_jwk: expect.objectContaining({ kty: 'EC', crv: 'P-256', kid: deps.keys.signingKey.kid }),
      },
    ]);
    for (const member of PRIVATE_MEMBERS) expect(keys[0]!.public_jwk).not.toHaveProperty(member);
  });

  it('an HMAC key is listed without a public form; the JWKS then has no keys', async () => {
    deps = await depsOn(kind, { algorithm: 'HS256' });
    const [key] = await listSigningKeys(deps);
    expect(key).toMatchObject({ alg: 'HS256', state: 'current', signing: true, public_jwk: null });
    expect(JSON.stringify(key)).not.toContain('"k"');
    expect(exportPublicJwks(deps)).toEqual({ keys: [] });
  });

  it('keys from TESSERA_SIGNING_KEYS are "configured", with no creation time', async () => {
    const key = generateKey('ES256', { kid: 'configured-1' });
    deps = await depsOn(kind, { signingKeys: { keys: [exportPrivateJwk(key)] } });
    expect(await listSigningKeys(deps)).toEqual([
      expect.objectContaining({ kid: 'configured-1', state: 'configured', created_at: null, signing: true }),
    ]);
  });

  it('exportPublicJwks is the published JWKS: public members only', async () => {
    deps = await depsOn(kind);
    const jwks = exportPublicJwks(deps);
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });
});
