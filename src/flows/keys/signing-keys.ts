import type { Config } from '../../config/types.js';
import { generateKey } from '../../keys/generate-key.js';
import { importKey } from '../../keys/import-key.js';
import { importSigningJwks } from '../../keys/import-jwks.js';
import { exportPrivateJwk, exportPublicJwk, type Jwk } from '../../keys/jwk.js';
import { KeyRing } from '../../keys/keyring.js';
import { isSealed } from '../../keys/secret-sealer.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretStore, SigningKeyRecord, SigningKeyStore } from '../../stores/types.js';
import { isJwsAlgorithm, type JwsAlgorithm } from '../../token/algorithms.js';
import { KeyError } from '../../token/errors.js';
import { sealerFor, signingKeyPurpose } from './stored-secrets.js';

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
/** Secret-store names of start-up key elections (pruned by prune-key-elections.ts). */
export const SIGNING_KEY_ELECTION_PREFIX = 'signing_key:';

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
  const keys = records.map((record) => importStoredKey(record, config));
  await sealPlaintextKeys(deps, records);
  return new KeyRing(keys, { signingKid: current.kid });
}

/**
 * Keys stored before TESSERA_MASTER_KEY was set are sealed in place on the first start with it, so
 * setting the master key protects existing keys too. Two instances doing this at once each write a
 * sealing of the same key: whichever lands, it opens to the same key.
 */
async function sealPlaintextKeys(
  deps: { config: Config; signingKeys: SigningKeyStore },
  records: readonly SigningKeyRecord[],
): Promise<void> {
  const sealer = sealerFor(deps.config);
  if (!sealer.enabled) return;
  for (const record of records) {
    if (isSealed(record.privateJwk)) continue;
    await deps.signingKeys.replacePrivateJwk(
      record.kid,
      sealer.seal(signingKeyPurpose(record.kid), record.privateJwk),
    );
  }
}

async function electCurrentKey(
  deps: { config: Config; clock: Clock; signingKeys: SigningKeyStore; secrets: SecretStore },
  records: SigningKeyRecord[],
): Promise<SigningKeyRecord> {
  const previous = records.filter((record) => record.state === 'current');
  // Named after what every instance sees now, so the same situation holds the same election.
  const election = `${SIGNING_KEY_ELECTION_PREFIX}${deps.config.algorithm}:after:${
    previous
      .map((r) => r.kid)
      .sort()
      .join(',') || 'none'
  }`;
  const stored = await deps.secrets.getOrCreate(election, () =>
    JSON.stringify(proposeKey(deps.config, deps.clock)),
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

/**
 * A new key of the configured algorithm, as the store will hold it: the private JWK sealed when a
 * master key is set (so election rows in the secret store, which carry the proposal, are sealed too).
 */
export function proposeKey(
  config: Config,
  clock: Clock,
  state: SigningKeyRecord['state'] = 'current',
): SigningKeyRecord {
  const key = generateKey(config.algorithm);
  return {
    kid: key.kid,
    alg: key.alg,
    state,
    privateJwk: sealerFor(config).seal(signingKeyPurpose(key.kid), JSON.stringify(exportPrivateJwk(key))),
    publicJwk: key.spec.family === 'hmac' ? null : JSON.stringify(exportPublicJwk(key)),
    createdAt: clock.now(),
  };
}

/** Imports a stored key, opening its sealed private JWK with the configured master key. */
export function importStoredKey(record: SigningKeyRecord, config: Config) {
  if (!isJwsAlgorithm(record.alg))
    throw new KeyError(`Stored key ${record.kid} has an unsupported algorithm.`);
  const { plaintext } = sealerFor(config).open(signingKeyPurpose(record.kid), record.privateJwk);
  return importKey({ alg: record.alg, kid: record.kid, jwk: JSON.parse(plaintext) as Jwk });
}

/** TESSERA_SIGNING_KEYS as a keyring; the rules are importSigningJwks's (also checked when the config loads). */
export function keyRingFromJwks(jwks: readonly Jwk[], preferredAlg: JwsAlgorithm): KeyRing {
  return importSigningJwks({ keys: jwks }, preferredAlg);
}
