import { randomBytes } from 'node:crypto';
import type { Config } from '../config/types.js';
import { createAccessTokenService } from '../flows/sessions/access-tokens.js';
import type { Deps } from '../flows/deps.js';
import type { PasswordHasher } from '../flows/auth/password-hasher.js';
import { createArgon2Hasher } from '../platform/argon2-password-hasher.js';
import { getOrCreateServerSecret } from '../flows/keys/stored-secrets.js';
import { loadKeyRing } from '../flows/keys/signing-keys.js';
import { announceRevocations } from '../flows/revocation/announce-revocations.js';
import { countAnnouncements } from '../flows/revocation/count-announcements.js';
import { readSigningKeyActivatedAt } from '../flows/keys/signing-key-activation.js';
import { noopMetrics, type Metrics, type MetricsProbes } from '../platform/metrics.js';
import { createPrometheusMetrics } from '../platform/prometheus-metrics.js';
import { emailVerifiedPolicy } from '../flows/recovery/email-verified-policy.js';
import { accessTokenWindowSeconds } from '../flows/sessions/access-token-window.js';
import { createStoreOnlyRevocationList, type RevocationList } from '../stores/revocation-list.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Random } from '../platform/random.js';
import type { Stores } from '../stores/types.js';
import type { DevMailbox } from '../mail/dev-mailbox.js';
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
  /**
   * Default: Prometheus metrics over a registry of their own when TESSERA_METRICS is on (the no-op port
   * when off). The server passes its own, created before the stores so the Redis fan-out reports into it.
   */
  metrics?: Metrics;
  /** The development outbox, when mail is kept rather than sent (start-server.ts). */
  devMailbox?: DevMailbox | undefined;
}): Promise<Deps> {
  const { config, clock, random, logger } = args;
  const metrics = args.metrics ?? createMetrics(config);
  const revocations = countAnnouncements(args.revocations ?? createStoreOnlyRevocationList(), metrics);
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
  const deps: Deps = {
    clock,
    random,
    stores,
    keys,
    hasher,
    logger,
    metrics,
    config,
    accessTokens: createAccessTokenService(keys, config, random),
    refreshDerivationKey: Buffer.from(refreshKey, 'base64url'),
    dummyPasswordHash,
    revocations,
    // Every sign-in path runs these (sign-in.ts); unverified addresses are refused only when required,
    // and second factors are always on (a user without one signs in with the password alone).
    // An unverified address is refused before a second-factor ticket is issued for it.
    signInPolicies: [
      ...(config.emailVerification === 'required' ? [emailVerifiedPolicy] : []),
      secondFactorPolicy,
    ],
    factorPresence: createFactorPresence({ stores }),
    ...(args.devMailbox !== undefined && { devMailbox: args.devMailbox }),
  };
  metrics.watch(metricsProbes(deps));
  return deps;
}

/** The metrics the configuration asks for: Prometheus over a registry of this instance's own, or none. */
export function createMetrics(config: Config, options: { processMetrics?: boolean } = {}): Metrics {
  if (!config.metrics.enabled) return noopMetrics;
  return createPrometheusMetrics({ rateLimitRules: Object.keys(config.rateLimits), ...options });
}

/** What a scrape reads: the database ping, the Redis fan-out's health, the signing key's activation. */
function metricsProbes(deps: Deps): MetricsProbes {
  return {
    pingDatabase: () => deps.stores.ping(),
    // Authoritative only with the Redis fan-out: its health is Redis's, as strict mode sees it.
    ...(deps.revocations.authoritative ? { redisHealthy: () => deps.revocations.healthy() } : {}),
    ...(deps.config.signingKeys === null
      ? { signingKeyActivatedAt: () => readSigningKeyActivatedAt(deps) }
      : {}),
    mailOutboxCounts: () => deps.stores.mailQueue.countByStatus(),
    now: () => deps.clock.now(),
  };
}
