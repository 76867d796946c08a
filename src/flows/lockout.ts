import type { Deps } from './deps.js';
import { FlowError } from './flow-error.js';

/**
 * Lockout with backoff, kept per normalised e-mail in the ephemeral store whether or not an account
 * exists, so a locked answer reveals nothing about which e-mails are registered. After `threshold`
 * failures in a row the e-mail locks for baseSeconds, doubling with each further failure up to maxSeconds.
 */
const failuresKey = (email: string) => `lockout:failures:${email}`;
const lockKey = (email: string) => `lockout:until:${email}`;

export async function assertNotLockedOut(deps: Deps, email: string): Promise<void> {
  const { ephemeral } = deps.stores;
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
  const { count } = await deps.stores.ephemeral.increment(failuresKey(email), maxSeconds * 2);
  if (count < threshold) return undefined;
  const lockSeconds = Math.min(maxSeconds, baseSeconds * 2 ** (count - threshold));
  const until = deps.clock.now().getTime() + lockSeconds * 1000;
  await deps.stores.ephemeral.set(lockKey(email), String(until), lockSeconds);
  return lockSeconds;
}

export async function clearLoginFailures(deps: Deps, email: string): Promise<void> {
  await deps.stores.ephemeral.delete(failuresKey(email));
}
