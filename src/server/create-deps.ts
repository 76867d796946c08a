import { randomBytes } from 'node:crypto';
import type { Config } from '../config/types.js';
import { createAccessTokenService } from '../flows/sessions/access-tokens.js';
import type { Deps } from '../flows/deps.js';
import type { PasswordHasher } from '../flows/auth/password-hasher.js';
import { createArgon2Hasher } from '../platform/argon2-password-hasher.js';
import { getOrCreateServerSecret } from '../flows/keys/stored-secrets.js';
import { loadKeyRing } from '../flows/keys/signing-keys.js';
import { announceRevocations } from '../flows/revocation/announce-revocations.js';
import { accessTokenWindowSeconds } from '../flows/sessions/access-token-window.js';
import { createStoreOnlyRevocationList, type RevocationList } from '../stores/revocation-list.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Random } from '../platform/random.js';
import type { Stores } from '../stores/types.js';
import { secondFactorPolicy } from '../flows/mfa/second-factor-policy.js';
import { createFactorPresence } from '../flows/mfa/second-factor-methods.js';

export const REFRESH_DERIVATION_SECRET = 'refresh_derivation_key';

/**
 * Assembles the dependencies over opened stores: the keyring (loaded or generated), the shared
 * refresh-derivation key (created once, then shared by every instance through the store) and the
 * dummy hash that makes unknown e-mails cost as much as wrong passwords.
 */
export async function createDeps(args: {
  config: Config;
  stores: Stores;
  clock: Clock;
  random: Random;
  logger: Logger;
  hasher?: PasswordHasher;
  /** Default: the store-only list (strict mode reads the store); Redis provides an authoritative one. */
  revocations?: RevocationList;
}): Promise<Deps> {
  const { config, clock, random, logger } = args;
  const revocations = args.revocations ?? createStoreOnlyRevocationList();
  const stores = {
    ...args.stores,
    sessions: announceRevocations(args.stores.sessions, revocations, accessTokenWindowSeconds(config)),
  };
  const hasher = args.hasher ?? createArgon2Hasher();
  const keys = await loadKeyRing({ config, clock, signingKeys: stores.signingKeys, secrets: stores.secrets });
  const refreshKey = await getOrCreateServerSecret(stores.secrets, config, REFRESH_DERIVATION_SECRET, () =>
    randomBytes(32).toString('base64url'),
  );
  const dummyPasswordHash = await hasher.hash(randomBytes(24).toString('base64url'));
  return {
    clock,
    random,
    stores,
    keys,
    hasher,
    logger,
    config,
    accessTokens: createAccessTokenService(keys, config, random),
    refreshDerivationKey: Buffer.from(refreshKey, 'base64url'),
    dummyPasswordHash,
    revocations,
    // Second factors are always on: a user without one signs in with the password alone.
    signInPolicies: [secondFactorPolicy],
    factorPresence: createFactorPresence({ stores }),
  };
}
