import type { Config } from '../config/types.js';
import { generateKey } from '../keys/generate-key.js';
import { importKey } from '../keys/import-key.js';
import { exportPrivateJwk, exportPublicJwk, type Jwk } from '../keys/jwk.js';
import { KeyRing } from '../keys/keyring.js';
import type { Clock } from '../platform/clock.js';
import type { SigningKeyRecord, SigningKeyStore } from '../stores/types.js';
import { isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';

/**
 * Builds the keyring at start-up. With TESSERA_SIGNING_KEYS the deployment manages its own keys:
 * Tessera signs with the first key of the configured algorithm and generates and stores nothing.
 * Otherwise the keys live in the store; on first start a key of the configured algorithm is generated
 * and persisted as `current`, and later starts (and other instances) load it.
 */
export async function loadKeyRing(deps: {
  config: Config;
  clock: Clock;
  signingKeys: SigningKeyStore;
}): Promise<KeyRing> {
  const { config } = deps;
  if (config.signingKeys !== null) return keyRingFromJwks(config.signingKeys.keys as Jwk[], config.algorithm);

  let records = await deps.signingKeys.list();
  let current = records.find((record) => record.state === 'current' && record.alg === config.algorithm);
  if (current === undefined) {
    const key = generateKey(config.algorithm);
    for (const record of records.filter((r) => r.state === 'current'))
      await deps.signingKeys.setState(record.kid, 'retired');
    const fresh: SigningKeyRecord = {
      kid: key.kid,
      alg: key.alg,
      state: 'current',
      privateJwk: JSON.stringify(exportPrivateJwk(key)),
      publicJwk: key.spec.family === 'hmac' ? null : JSON.stringify(exportPublicJwk(key)),
      createdAt: deps.clock.now(),
    };
    await deps.signingKeys.insert(fresh);
    records = await deps.signingKeys.list();
    current = fresh;
  }
  const keys = records.map((record) => importStoredKey(record));
  return new KeyRing(keys, { signingKid: current.kid });
}

function importStoredKey(record: SigningKeyRecord) {
  if (!isJwsAlgorithm(record.alg))
    throw new KeyError(`Stored key ${record.kid} has an unsupported algorithm.`);
  return importKey({ alg: record.alg, kid: record.kid, jwk: JSON.parse(record.privateJwk) as Jwk });
}

export function keyRingFromJwks(jwks: readonly Jwk[], preferredAlg: JwsAlgorithm): KeyRing {
  const keys = jwks.map((jwk, index) => {
    const alg = jwk.alg ?? preferredAlg;
    if (!isJwsAlgorithm(alg))
      throw new KeyError(`TESSERA_SIGNING_KEYS: key ${index} has an unsupported "alg".`);
    return importKey({ alg, jwk });
  });
  const signing = keys.find((key) => key.alg === preferredAlg && key.signingKey !== undefined);
  if (signing === undefined) {
    throw new KeyError(`TESSERA_SIGNING_KEYS: no private key for the configured algorithm ${preferredAlg}.`);
  }
  return new KeyRing(keys, { signingKid: signing.kid });
}
