import type { Config } from '../config/types.js';
import { generateKey } from '../keys/generate-key.js';
import { importKey } from '../keys/import-key.js';
import { exportPrivateJwk, exportPublicJwk, type Jwk } from '../keys/jwk.js';
import { KeyRing } from '../keys/keyring.js';
import type { Clock } from '../platform/clock.js';
import type { SecretStore, SigningKeyRecord, SigningKeyStore } from '../stores/types.js';
import { isJwsAlgorithm, type JwsAlgorithm } from '../token/algorithms.js';
import { KeyError } from '../token/errors.js';

/**
 * Builds the keyring at start-up. With TESSERA_SIGNING_KEYS the deployment manages its own keys:
 * Tessera signs with the first key of the configured algorithm and generates and stores nothing.
 * Otherwise the keys live in the store; on first start (or after the algorithm changed) a key of the
 * configured algorithm becomes `current`, and later starts (and other instances) load it.
 *
 * Instances starting together must agree on that key, or each would sign with its own and refuse the
 * others' tokens. So every instance proposes a fresh key in an election held in the secret store,
 * whose getOrCreate is first-writer-wins: all of them adopt the stored winner, insert it if it is not
 * there yet (idempotently) and retire the previous current keys.
 */
export async function loadKeyRing(deps: {
  config: Config;
  clock: Clock;
  signingKeys: SigningKeyStore;
  secrets: SecretStore;
}): Promise<KeyRing> {
  const { config } = deps;
  if (config.signingKeys !== null) return keyRingFromJwks(config.signingKeys.keys as Jwk[], config.algorithm);

  let records = await deps.signingKeys.list();
  let current = records.find((record) => record.state === 'current' && record.alg === config.algorithm);
  if (current === undefined) {
    current = await electCurrentKey(deps, records);
    records = await deps.signingKeys.list();
  }
  const keys = records.map((record) => importStoredKey(record));
  return new KeyRing(keys, { signingKid: current.kid });
}

async function electCurrentKey(
  deps: { config: Config; clock: Clock; signingKeys: SigningKeyStore; secrets: SecretStore },
  records: SigningKeyRecord[],
): Promise<SigningKeyRecord> {
  const previous = records.filter((record) => record.state === 'current');
  // Named after what every instance sees now, so the same situation holds the same election.
  const election = `signing_key:${deps.config.algorithm}:after:${
    previous
      .map((r) => r.kid)
      .sort()
      .join(',') || 'none'
  }`;
  const stored = await deps.secrets.getOrCreate(election, () =>
    JSON.stringify(proposeKey(deps.config.algorithm, deps.clock)),
  );
  const parsed = JSON.parse(stored) as Omit<SigningKeyRecord, 'createdAt'> & { createdAt: string };
  const winner: SigningKeyRecord = { ...parsed, createdAt: new Date(parsed.createdAt) };
  if (!records.some((record) => record.kid === winner.kid)) {
    try {
      await deps.signingKeys.insert(winner);
    } catch (error) {
      // Another instance inserted the same winner first: that is the outcome we wanted.
      if (!(await deps.signingKeys.list()).some((record) => record.kid === winner.kid)) throw error;
    }
  }
  for (const record of previous) {
    if (record.kid !== winner.kid) await deps.signingKeys.setState(record.kid, 'retired', deps.clock.now());
  }
  return winner;
}

export function proposeKey(
  alg: JwsAlgorithm,
  clock: Clock,
  state: SigningKeyRecord['state'] = 'current',
): SigningKeyRecord {
  const key = generateKey(alg);
  return {
    kid: key.kid,
    alg: key.alg,
    state,
    privateJwk: JSON.stringify(exportPrivateJwk(key)),
    publicJwk: key.spec.family === 'hmac' ? null : JSON.stringify(exportPublicJwk(key)),
    createdAt: clock.now(),
  };
}

export function importStoredKey(record: SigningKeyRecord) {
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
