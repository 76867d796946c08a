import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';

/**
 * Lockout with backoff, kept per normalised e-mail in the ephemeral store whether or not an account
 * exists, so a locked answer reveals nothing about which e-mails are registered. After `threshold`
 * failures in a row the e-mail locks for baseSeconds, doubling with each further failure up to maxSeconds.
 */
const failuresKey = (email: string) => `lockout:failures:${email}`;
const lockKey = (email: string) => `lockout:until:${email}`;

export async function assertNotLockedOut(deps: Deps, email: string): Promise<void> {
  const { lockouts: ephemeral } = deps.stores;
  // A read that leaves the lock in place: concurrent logins all see it (no window to slip through).
  const until = await ephemeral.get(lockKey(email));
  if (until === undefined) return;
  const remainingSeconds = Math.ceil((Number(until) - deps.clock.now().getTime()) / 1000);
  if (remainingSeconds <= 0) return;
  throw new FlowError('account_locked', 'Too many failed sign-in attempts; try again later.', {
    retryAfterSeconds: remainingSeconds,
  });
}

/** Counts a failure; returns the lock length in seconds when this failure locked the e-mail. */
export async function recordLoginFailure(deps: Deps, email: string): Promise<number | undefined> {
  const { threshold, baseSeconds, maxSeconds } = deps.config.lockout;
  const { count } = await deps.stores.lockouts.increment(failuresKey(email), maxSeconds * 2);
  if (count < threshold) return undefined;
  const lockSeconds = Math.min(maxSeconds, baseSeconds * 2 ** (count - threshold));
  const until = deps.clock.now().getTime() + lockSeconds * 1000;
  await deps.stores.lockouts.set(lockKey(email), String(until), lockSeconds);
  return lockSeconds;
}

/** Where an e-mail stands: failed sign-ins in the current window, and the lock's end when locked now. */
export async function readLockout(
  deps: Deps,
  email: string,
): Promise<{ failures: number; lockedUntil: Date | null }> {
  const { lockouts: ephemeral } = deps.stores;
  const [failures, until] = await Promise.all([
    ephemeral.count(failuresKey(email)),
    ephemeral.get(lockKey(email)),
  ]);
  const untilMs = until === undefined ? NaN : Number(until);
  const locked = Number.isFinite(untilMs) && untilMs > deps.clock.now().getTime();
  return { failures, lockedUntil: locked ? new Date(untilMs) : null };
}

/** An administrator's unlock: the failures and any running lock are forgotten. */
export async function clearLockout(deps: Deps, email: string): Promise<void> {
  await Promise.all([
    deps.stores.lockouts.delete(failuresKey(email)),
    deps.stores.lockouts.delete(lockKey(email)),
  ]);
}

export async function clearLoginFailures(deps: Deps, email: string): Promise<void> {
  await deps.stores.lockouts.delete(failuresKey(email));
}
