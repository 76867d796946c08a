import { backoffDelayMs, proactiveRefreshDelayMs } from './refresh-timing.js';
import type { TesseraError } from './tessera-error.js';
import type { ClientClock } from './types.js';

/** setTimeout's delay is a signed 32-bit number of milliseconds; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The one refresh timer of a client: proactive (before `exp`) after a success, back-off after a
 * transient failure. While backing off, refresh attempts are refused without a request, so no caller
 * (a 401 retry, a polling app, a listener) can turn an outage into a tight loop.
 */
export function createRefreshScheduler(options: {
  clock: ClientClock;
  random: () => number;
  leewaySeconds: number;
  onDue: () => void;
}) {
  const { clock, random } = options;
  let timer: unknown = null;
  let failures = 0;
  let blockedUntil = 0;
  let lastError: TesseraError | null = null;

  const arm = (delayMs: number) => {
    cancel();
    const wait = Math.min(delayMs, MAX_TIMER_MS);
    timer = clock.setTimeout(() => {
      timer = null;
      if (wait < delayMs) arm(delayMs - wait);
      else options.onDue();
    }, wait);
  };
  function cancel(): void {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  }

  return {
    /** After new credentials: forget failures, refresh ahead of `expiresAt` (if it is known). */
    succeeded(expiresAt: number | null): void {
      failures = 0;
      blockedUntil = 0;
      lastError = null;
      if (expiresAt === null) cancel();
      else arm(proactiveRefreshDelayMs(expiresAt, clock.now(), options.leewaySeconds, random));
    },
    /** After a transient failure: the delay until the next automatic attempt. */
    failed(error: TesseraError): number {
      failures += 1;
      lastError = error;
      const delayMs = backoffDelayMs(failures, random, error.retryAfterSeconds);
      blockedUntil = clock.now() + delayMs;
      arm(delayMs);
      return delayMs;
    },
    /** The error that still blocks refreshing, or null when a request may go out. */
    blockedBy(): TesseraError | null {
      return clock.now() < blockedUntil ? lastError : null;
    },
    cancel,
  };
}
