/**
 * Lifetime arithmetic shared by every EphemeralStore adapter, so a counter reports the same
 * `ttlSeconds` whether it lives in memory or in SQL. Times are milliseconds since the epoch.
 */

export function assertTtlSeconds(ttlSeconds: number): void {
  if (!Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw new TypeError('ttlSeconds must be a positive, finite number.');
  }
}

export function expiresAtMsFrom(nowMs: number, ttlSeconds: number): number {
  return nowMs + Math.ceil(ttlSeconds * 1000);
}

/** A key is live strictly before its expiry, as a JWT is (`exp` equal to now is expired). */
export function isLive(expiresAtMs: number, nowMs: number): boolean {
  return expiresAtMs > nowMs;
}

/** Seconds left, rounded up so a key created just now reports its whole lifetime (as Redis TTL does). */
export function secondsLeft(expiresAtMs: number, nowMs: number): number {
  return Math.max(0, Math.ceil((expiresAtMs - nowMs) / 1000));
}

/** Expired entries are removed lazily on read, and swept every this many writes so they cannot pile up. */
export const SWEEP_EVERY_WRITES = 256;
