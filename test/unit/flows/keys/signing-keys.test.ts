import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/config/types.js';
import { loadConfig } from '../../../../src/config/load-config.js';
import { keyRingFromJwks, loadKeyRing } from '../../../../src/flows/keys/signing-keys.js';
import { generateKey } from '../../../../src/keys/generate-key.js';
import { exportPrivateJwk, exportPublicJwk, type Jwk } from '../../../../src/keys/jwk.js';
import { createFixedClock } from '../../../../src/platform/clock.js';
import { createMemoryStores } from '../../../../src/stores/memory/create-memory-stores.js';
import { createSqliteStores } from '../../../../src/stores/sqlite/create-sqlite-stores.js';
import type { Stores } from '../../../../src/stores/types.js';
import { KeyError } from '../../../../src/token/errors.js';
import { signJwt } from '../../../../src/token/jwt-sign.js';
import { verifyJwt } from '../../../../src/token/jwt-verify.js';
import { TEST_START, testConfig } from '../../../helpers/test-deps.js';

const clock = createFixedClock(TEST_START);

function expectKeyError(fn: () => unknown, message?: RegExp): KeyError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KeyError);
  expect((caught as KeyError).code).toBe('key_invalid');
  if (message !== undefined) expect((caught as KeyError).message).toMatch(message);
  return caught as KeyError;
}

async function rejectsWithKeyError(promise: Promise<unknown>, message?: RegExp): Promise<void> {
  const caught = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(caught).toBeInstanceOf(KeyError);
  if (message !== undefined) expect((caught as KeyError).message).toMatch(message);
}

describe('loadKeyRing from the store', () => {
  let stores: Stores;

  beforeEach(() => {
    stores = createMemoryStores({ clock });
  });
  afterEach(async () => {
    await stores.close();
  });

  const load = (config: Partial<Config> = {}) =>
    loadKeyRing({
      config: testConfig(config),
      clock,
      signingKeys: stores.signingKeys,
      secrets: stores.secrets,
    });

  it('generates and persists a current key of the configured algorithm on first start', async () => {
    expect(await stores.signingKeys.list()).toEqual([]);
    const ring = await load();
    const records = await stores.signingKeys.list();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      kid: ring.signingKey.kid,
      alg: 'ES256',
      state: 'current',
      createdAt: TEST_START,
    });
    expect(JSON.parse(records[0]!.privateJwk)).toMatchObject({
      kty: 'EC',
      crv: 'P-256',
      d: expect.any(String),
    });
    expect(JSON.parse(records[0]!.publicJwk!)).not.toHaveProperty('d');
    expect(ring.signingKey.alg).toBe('ES256');
    expect(ring.jwks().keys.map((k) => k.kid)).toEqual([ring.signingKey.kid]);
  });

  it('reloads the same key on the next start and generates nothing', async () => {
    const first = await load();
    const second = await load();
    expect(second.signingKey.kid).toBe(first.signingKey.kid);
    expect(await stores.signingKeys.list()).toHaveLength(1);
    const token = signJwt({ exp: 4_102_444_800, sub: 'u' }, first.signingKey);
    expect(verifyJwt(token, second, { now: TEST_START }).payload.sub).toBe('u');
    // And the other way round: the reloaded private key signs what the first ring verifies.
    const back = signJwt({ exp: 4_102_444_800, sub: 'v' }, second.signingKey);
    expect(verifyJwt(back, first, { now: TEST_START }).payload.sub).toBe('v');
  });

  it('an HMAC key is stored without a public form and never published', async () => {
    const ring = await load({ algorithm: 'HS256' });
    const [record] = await stores.signingKeys.list();
    expect(record).toMatchObject({ alg: 'HS256', publicJwk: null });
    expect(ring.jwks().keys).toEqual([]);
  });

  it('a change of algorithm generates a new current key and retires the old one, which still verifies', async () => {
    const es = await load({ algorithm: 'ES256' });
    const oldToken = signJwt({ exp: 4_102_444_800, sub: 'old' }, es.signingKey);
    const ed = await load({ algorithm: 'EdDSA' });
    expect(ed.signingKey.alg).toBe('EdDSA');
    expect(ed.signingKey.kid).not.toBe(es.signingKey.kid);
    const states = Object.fromEntries((await stores.signingKeys.list()).map((r) => [r.kid, r.state]));
    expect(states).toEqual({ [es.signingKey.kid]: 'retired', [ed.signingKey.kid]: 'current' });
    expect(verifyJwt(oldToken, ed, { now: TEST_START }).payload.sub).toBe('old');
    // A third start with EdDSA changes nothing.
    expect((await load({ algorithm: 'EdDSA' })).signingKey.kid).toBe(ed.signingKey.kid);
    expect(await stores.signingKeys.list()).toHaveLength(2);
  });
});

describe('loadKeyRing over a SQLite file, across restarts', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-keys-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('generates on the first start and reloads the same kid on the second', async () => {
    const path = join(dir, 'keys.db');
    const config = testConfig();
    const first = await createSqliteStores({ path, clock });
    const ring1 = await loadKeyRing({
      config,
      clock,
      signingKeys: first.signingKeys,
      secrets: first.secrets,
    });
    const token = signJwt({ exp: 4_102_444_800, sub: 'u' }, ring1.signingKey);
    await first.close();

    const second = await createSqliteStores({ path, clock });
    try {
      const ring2 = await loadKeyRing({
        config,
        clock,
        signingKeys: second.signingKeys,
        secrets: second.secrets,
      });
      expect(ring2.signingKey.kid).toBe(ring1.signingKey.kid);
      expect(ring2.jwks()).toEqual(ring1.jwks());
      expect(await second.signingKeys.list()).toHaveLength(1);
      expect(verifyJwt(token, ring2, { now: TEST_START }).payload.sub).toBe('u');
    } finally {
      await second.close();
    }
  });
});

describe('loadKeyRing with configured signing keys (TESSERA_SIGNING_KEYS)', () => {
  let stores: Stores;

  beforeEach(() => {
    stores = createMemoryStores({ clock });
  });
  afterEach(async () => {
    await stores.close();
  });

  it('signs with the configured key and stores nothing', async () => {
    const key = generateKey('ES256', { kid: 'ops-managed-1' });
    const config = loadConfig({
      env: {
        TESSERA_SIGNING_KEYS: JSON.stringify({ keys: [exportPrivateJwk(key)] }),
        TESSERA_ALGORITHM: 'ES256',
      },
    });
    const ring = await loadKeyRing({
      config,
      clock,
      signingKeys: stores.signingKeys,
      secrets: stores.secrets,
    });
    expect(ring.signingKey.kid).toBe('ops-managed-1');
    expect(await stores.signingKeys.list()).toEqual([]);
    const token = signJwt({ exp: 4_102_444_800, sub: 'u' }, ring.signingKey);
    expect(verifyJwt(token, key, { now: TEST_START }).payload.sub).toBe('u');
    // A second start changes nothing either.
    await loadKeyRing({ config, clock, signingKeys: stores.signingKeys, secrets: stores.secrets });
    expect(await stores.signingKeys.list()).toEqual([]);
  });

  it('picks the first private key of the configured algorithm and publishes the others too', async () => {
    const rsa = generateKey('RS256', { kid: 'rsa' });
    const ed = generateKey('EdDSA', { kid: 'ed' });
    const es = generateKey('ES256', { kid: 'es' });
    const config = testConfig({
      algorithm: 'EdDSA',
      signingKeys: {
        keys: [exportPrivateJwk(rsa), exportPublicJwk(es), exportPrivateJwk(ed)] as Record<string, unknown>[],
      },
    });
    const ring = await loadKeyRing({
      config,
      clock,
      signingKeys: stores.signingKeys,
      secrets: stores.secrets,
    });
    expect(ring.signingKey.kid).toBe('ed');
    expect(
      ring
        .jwks()
        .keys.map((k) => k.kid)
        .sort(),
    ).toEqual(['ed', 'es', 'rsa']);
    expect(await stores.signingKeys.list()).toEqual([]);
  });

  it('a key without "alg" is taken for the configured algorithm', async () => {
    const key = generateKey('ES256', { kid: 'no-alg' });
    const { alg: _alg, ...jwk } = exportPrivateJwk(key);
    const ring = keyRingFromJwks([jwk as Jwk], 'ES256');
    expect(ring.signingKey).toMatchObject({ kid: 'no-alg', alg: 'ES256' });
  });

  describe('refuses a JWKS without a private key for the configured algorithm', () => {
    it('only a public key of that algorithm', async () => {
      const key = generateKey('ES256', { kid: 'pub' });
      const config = testConfig({
        algorithm: 'ES256',
        signingKeys: { keys: [exportPublicJwk(key)] as Record<string, unknown>[] },
      });
      await rejectsWithKeyError(
        loadKeyRing({ config, clock, signingKeys: stores.signingKeys, secrets: stores.secrets }),
        /no private key.*ES256/,
      );
      expect(await stores.signingKeys.list()).toEqual([]);
    });

    it('a private key of the same kty but another algorithm (the config check refuses it too)', async () => {
      const es384 = generateKey('ES384', { kid: 'p384' });
      const keys = [exportPrivateJwk(es384)] as Record<string, unknown>[];
      expect(() =>
        loadConfig({ env: { TESSERA_SIGNING_KEYS: JSON.stringify({ keys }), TESSERA_ALGORITHM: 'ES256' } }),
      ).toThrow(/TESSERA_SIGNING_KEYS: has no private key for the configured algorithm ES256/);
      const config = testConfig({ algorithm: 'ES256', signingKeys: { keys } });
      await rejectsWithKeyError(
        loadKeyRing({ config, clock, signingKeys: stores.signingKeys, secrets: stores.secrets }),
        /no private key.*ES256/,
      );
    });

    it.each<[string, () => Jwk[]]>([
      ['an empty set', () => []],
      [
        'only other algorithms',
        () => [exportPrivateJwk(generateKey('RS256')), exportPrivateJwk(generateKey('EdDSA'))],
      ],
      [
        'only public keys',
        () => [exportPublicJwk(generateKey('ES256')), exportPublicJwk(generateKey('ES256'))],
      ],
    ])('%s', (_name, jwks) => {
      const error = expectKeyError(
        () => keyRingFromJwks(jwks(), 'ES256'),
        /no private key for the configured algorithm ES256/,
      );
      expect(error.message).not.toMatch(/"d"/);
    });

    it.each<[string, Jwk]>([
      ['"none"', { ...exportPrivateJwk(generateKey('ES256')), alg: 'none' }],
      ['an unknown alg', { ...exportPrivateJwk(generateKey('ES256')), alg: 'ES999' }],
    ])('a key whose alg is %s', (_name, jwk) => {
      expectKeyError(() => keyRingFromJwks([jwk], 'ES256'), /unsupported "alg"/);
    });

    it('a key that does not fit its alg, without echoing the key material', () => {
      const jwk = exportPrivateJwk(generateKey('ES384'));
      const error = expectKeyError(() => keyRingFromJwks([{ ...jwk, alg: 'ES256' }], 'ES256'));
      expect(error.message).not.toContain(String(jwk.d));
    });
  });
});

describe('loadKeyRing: instances starting together on an empty database', () => {
  it('agree on one current key (regression: each generated its own and refused the others’ tokens)', async () => {
    const clock = createFixedClock(new Date('2026-01-15T10:00:00Z'));
    const stores = createMemoryStores({ clock });
    const config = testConfig();
    const rings = await Promise.all(
      Array.from({ length: 5 }, () =>
        loadKeyRing({ config, clock, signingKeys: stores.signingKeys, secrets: stores.secrets }),
      ),
    );
    const kids = new Set(rings.map((ring) => ring.signingKey.kid));
    expect(kids.size).toBe(1);
    const current = (await stores.signingKeys.list()).filter((record) => record.state === 'current');
    expect(current).toHaveLength(1);
  });

  it('elect one new key when the algorithm changes, and retire the old one exactly once', async () => {
    const clock = createFixedClock(new Date('2026-01-15T10:00:00Z'));
    const stores = createMemoryStores({ clock });
    const first = await loadKeyRing({
      config: testConfig(),
      clock,
      signingKeys: stores.signingKeys,
      secrets: stores.secrets,
    });
    const rings = await Promise.all(
      Array.from({ length: 3 }, () =>
        loadKeyRing({
          config: testConfig({ algorithm: 'EdDSA' }),
          clock,
          signingKeys: stores.signingKeys,
          secrets: stores.secrets,
        }),
      ),
    );
    expect(new Set(rings.map((ring) => ring.signingKey.kid)).size).toBe(1);
    const records = await stores.signingKeys.list();
    expect(records.filter((r) => r.state === 'current').map((r) => r.alg)).toEqual(['EdDSA']);
    expect(records.find((r) => r.kid === first.signingKey.kid)?.state).toBe('retired');
  });
});
