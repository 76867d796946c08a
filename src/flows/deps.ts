import type { Config } from '../config/types.js';
import type { KeyRing } from '../keys/keyring.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import type { Random } from '../platform/random.js';
import type { Stores } from '../stores/types.js';
import type { AccessTokenService } from './sessions/access-tokens.js';
import type { PasswordHasher } from './auth/password-hasher.js';
import type { RevocationList } from '../stores/revocation-list.js';
import type { SignInPolicy } from './auth/sign-in-policy.js';
import type { FactorPresence } from './auth/factor-presence.js';
import type { DevMailbox } from '../mail/dev-mailbox.js';

/** Everything a use case may touch, passed in explicitly (no singletons, no ambient context). */
export interface Deps {
  clock: Clock;
  random: Random;
  stores: Stores;
  keys: KeyRing;
  hasher: PasswordHasher;
  logger: Logger;
  /** Outcomes the operator watches (GET /metrics); the no-op port when metrics are off. */
  metrics: Metrics;
  config: Config;
  accessTokens: AccessTokenService;
  /** Server-wide key from which refresh-token successors are derived (see opaque-token.ts). */
  refreshDerivationKey: Uint8Array;
  /** A hash of a random password, verified against when the e-mail is unknown (equal timing). */
  dummyPasswordHash: string;
  /** Revoked sessions as this instance knows them (authoritative with Redis fan-out). */
  revocations: RevocationList;
  /**
   * Checks every sign-in must pass after the credential (e-mail verification, second factors), run
   * by the one login pipeline (sign-in.ts) on every path. None by default.
   */
  signInPolicies?: readonly SignInPolicy[];
  /** Who has a second factor (for step-up on sensitive routes); absent until the feature is wired: nobody has one. */
  factorPresence?: FactorPresence;
  /**
   * The development outbox (no TESSERA_SMTP_URL): mail kept rather than sent, shown by GET /dev/mail and
   * the console. Absent when mail is sent over SMTP, and in embedded mode: then the route does not exist.
   */
  devMailbox?: DevMailbox;
}

/** Who made the request, as far as the transport can tell: for sessions and audit events. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}
