import type { Config } from '../../config/types.js';
import type { Clock } from '../../platform/clock.js';
import type { Stores } from '../../stores/types.js';
import { readRevocationFeed, type RevocationFeedPage } from './revocation-feed.js';
import type { RevocationList } from '../../stores/revocation-list.js';

/** The longest `wait` a reader may ask for: well under every proxy's idle timeout. */
export const REVOCATION_FEED_MAX_WAIT_SECONDS = 30;

/** Parked requests per instance at most; beyond it a reader is answered at once, as without `wait`. */
export const REVOCATION_FEED_MAX_PARKED = 1000;

/** Why a parked reader was released. */
export type RevocationWaitOutcome = 'revoked' | 'timeout' | 'closed' | 'aborted' | 'full';

/**
 * The feed readers parked on one instance (long-poll). Every revocation this instance hears of
 * (RevocationList.onRevoked: its own, and with Redis every other instance's) releases all of them;
 * so do their timeouts, their clients going away, and close() at shutdown.
 */
export interface RevocationFeedWaiters {
  /** Bumped by every revocation heard: read it before the feed read, hand it to wait(). */
  readonly version: number;
  /** Readers parked right now. */
  readonly parked: number;
  /**
   * Parks until a revocation, `timeoutMs`, `signal` or close(). Answers at once with 'revoked' when
   * one was heard since `seenVersion` (it may have landed after the read), 'closed' after close(),
   * 'full' at the cap.
   */
  wait(args: {
    seenVersion: number;
    timeoutMs: number;
    signal?: AbortSignal;
  }): Promise<RevocationWaitOutcome>;
  /** Releases every parked reader ('closed') and answers later ones at once: for graceful shutdown. */
  close(): void;
}

interface Waiter {
  release(outcome: RevocationWaitOutcome): void;
}

export function createRevocationFeedWaiters(
  revocations: Pick<RevocationList, 'onRevoked'>,
  options: { maxParked?: number } = {},
): RevocationFeedWaiters {
  const maxParked = options.maxParked ?? REVOCATION_FEED_MAX_PARKED;
  const waiters = new Set<Waiter>();
  let version = 0;
  let closed = false;
  const releaseAll = (outcome: RevocationWaitOutcome) => {
    for (const waiter of [...waiters]) waiter.release(outcome);
  };
  const unsubscribe = revocations.onRevoked(() => {
    version += 1;
    releaseAll('revoked');
  });

  return {
    get version() {
      return version;
    },
    get parked() {
      return waiters.size;
    },
    wait({ seenVersion, timeoutMs, signal }) {
      if (closed) return Promise.resolve('closed');
      if (version !== seenVersion) return Promise.resolve('revoked');
      if (signal?.aborted) return Promise.resolve('aborted');
      if (waiters.size >= maxParked) return Promise.resolve('full');
      return new Promise((resolve) => {
        const onAbort = () => waiter.release('aborted');
        const timer = setTimeout(() => waiter.release('timeout'), timeoutMs);
        const waiter: Waiter = {
          release(outcome) {
            if (!waiters.delete(waiter)) return;
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            resolve(outcome);
          },
        };
        waiters.add(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      releaseAll('closed');
    },
  };
}

/**
 * GET /auth/revocations with `wait`: reads the feed; when that holds no news and `waitSeconds` > 0,
 * parks until this instance hears of a revocation (or the timeout), then reads again. A reader whose
 * client left, or one turned away at the cap or at shutdown, gets the first read.
 */
export async function readRevocationFeedWaiting(
  deps: { config: Config; clock: Clock; stores: Pick<Stores, 'sessions'> },
  waiters: RevocationFeedWaiters,
  args: { since: string | undefined; waitSeconds: number; signal?: AbortSignal },
): Promise<RevocationFeedPage> {
  const seenVersion = waiters.version;
  const first = await readRevocationFeed(deps, args.since);
  if (args.waitSeconds <= 0 || first.hasNews) return first;
  const outcome = await waiters.wait({
    seenVersion,
    timeoutMs: args.waitSeconds * 1000,
    ...(args.signal === undefined ? {} : { signal: args.signal }),
  });
  if (outcome !== 'revoked' && outcome !== 'timeout') return first;
  return readRevocationFeed(deps, args.since);
}
