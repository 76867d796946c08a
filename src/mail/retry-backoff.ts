/** How long a failed message waits before its next attempt, and when to give up. */
export interface RetryPolicy {
  maxAttempts: number;
  baseSeconds: number;
  maxSeconds: number;
}

/**
 * When to try again after `attempts` failed attempts (1 after the first failure), or null when the
 * message has had its last attempt. Exponential (base · 2^(attempts−1)), capped at `maxSeconds`, with
 * "equal jitter": a random half of the wait is added to the other half, so instances that failed together
 * (an SMTP outage) do not all retry in the same second. `unit` is a random number in [0, 1).
 */
export function computeRetryAt(attempts: number, now: Date, policy: RetryPolicy, unit: number): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const exponent = Math.min(attempts - 1, 30);
  const waitSeconds = Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** exponent);
  const jitteredMs = (waitSeconds / 2 + (waitSeconds / 2) * unit) * 1000;
  return new Date(now.getTime() + Math.round(jitteredMs));
}

/** A number in [0, 1) from 4 random bytes. */
export function randomUnit(bytes: Uint8Array): number {
  return (((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0) / 2 ** 32;
}
