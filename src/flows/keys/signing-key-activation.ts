import type { Deps } from '../deps.js';

/**
 * When the key that signs now started signing: the time it became `current` (or was created, when it
 * was created current). Undefined for keys from TESSERA_SIGNING_KEYS, whose history Tessera never saw,
 * and for a signing key the store no longer lists.
 */
export async function readSigningKeyActivatedAt(
  deps: Pick<Deps, 'config' | 'keys' | 'stores'>,
): Promise<Date | undefined> {
  if (deps.config.signingKeys !== null) return undefined;
  const kid = deps.keys.signingKey.kid;
  const record = (await deps.stores.signingKeys.list()).find((candidate) => candidate.kid === kid);
  return record === undefined ? undefined : (record.stateChangedAt ?? record.createdAt);
}
