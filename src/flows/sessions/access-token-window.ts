import type { Config } from '../../config/types.js';

/**
 * How long an access token can still be accepted after it was issued: its lifetime plus the clock
 * tolerance verifiers allow past `exp`. The one source of every bound that follows from it: how long a
 * revocation matters (strict-mode list, revocation feed and its tombstones, refresh reuse), and how
 * long a retired signing key must stay published.
 */
export function accessTokenWindowSeconds(
  config: Pick<Config, 'accessTokenTtlSeconds' | 'clockToleranceSeconds'>,
): number {
  return config.accessTokenTtlSeconds + config.clockToleranceSeconds;
}
