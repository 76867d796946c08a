import type { Config } from '../../config/types.js';
import type { KeyRing } from '../../keys/keyring.js';
import type { SigningKeyRecord, Stores } from '../../stores/types.js';
import { importStoredKey } from './signing-keys.js';

/**
 * Brings a running server's keyring in line with the store, so a rotation made by another instance or
 * the CLI takes effect: new keys are added (a `next` key verifies and is published at once), the
 * `current` key of the configured algorithm signs, removed keys are dropped. Each change bumps the
 * keyring's version, which invalidates the verified-token cache and the JWKS body. A store with no
 * current key of the configured algorithm changes nothing (the ring keeps signing with what it has).
 * Returns true when anything changed.
 */
export async function reloadKeys(deps: {
  config: Config;
  keys: KeyRing;
  stores: Pick<Stores, 'signingKeys'>;
}): Promise<boolean> {
  if (deps.config.signingKeys !== null) return false;
  const records = await deps.stores.signingKeys.list();
  const current = signingRecord(records, deps.config.algorithm);
  if (current === undefined) return false;
  const ring = deps.keys;
  const before = ring.version;
  for (const record of records) {
    if (!ring.has(record.kid)) ring.add(importStoredKey(record, deps.config));
  }
  if (ring.signingKey.kid !== current.kid) ring.setSigningKey(current.kid);
  const kept = new Set(records.map((record) => record.kid));
  for (const key of ring.list()) if (!kept.has(key.kid)) ring.remove(key.kid);
  return ring.version !== before;
}

/** The current key of the algorithm; the most recently promoted one if a crash left several. */
function signingRecord(records: SigningKeyRecord[], alg: string): SigningKeyRecord | undefined {
  const time = (record: SigningKeyRecord): number => (record.stateChangedAt ?? record.createdAt).getTime();
  return records
    .filter((record) => record.state === 'current' && record.alg === alg)
    .sort((a, b) => time(b) - time(a))[0];
}
