/**
 * When to refresh. Proactive: `leeway` before expiry, minus up to 20% of the leeway in random jitter,
 * so tabs and devices that signed in together do not refresh together. The leeway never exceeds half
 * the time the token has left: with a leeway as long as the token's lifetime (a 30 s token and the
 * default 30 s leeway) every fresh token would be due at once, a refresh loop. Back-off after a transient
 * failure: exponential from 1 s, capped at 5 min, with jitter in [50%, 100%] of the step, and never
 * sooner than the server's Retry-After.
 */
export const JITTER_FRACTION = 0.2;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export function proactiveRefreshDelayMs(
  expiresAt: number,
  now: number,
  leewaySeconds: number,
  random: () => number,
): number {
  const remainingMs = expiresAt - now;
  if (remainingMs <= 0) return 0;
  const leewayMs = Math.min(leewaySeconds * 1000, remainingMs / 2);
  const jitterMs = random() * JITTER_FRACTION * leewayMs;
  return Math.max(0, remainingMs - leewayMs - jitterMs);
}

/** `attempt` counts failures so far, from 1. */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  retryAfterSeconds: number | null,
): number {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  const jittered = step / 2 + (random() * step) / 2;
  const floor = retryAfterSeconds === null ? 0 : retryAfterSeconds * 1000;
  return Math.max(jittered, Math.min(floor, BACKOFF_MAX_MS * 12));
}
