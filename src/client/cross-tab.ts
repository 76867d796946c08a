import { parseTabMessage, type TabMessage } from './tab-messages.js';
import type { BroadcastChannelLike, ClientClock, LockManagerLike } from './types.js';

/** How long a fallback claim must go unchallenged, and how long a silent holder is trusted. */
export const CLAIM_WINDOW_MS = 50;
export const CLAIM_LEASE_MS = 10_000;

export interface CrossTab {
  /** False when this client talks to no other tab. */
  readonly connected: boolean;
  /** Runs `task` while no other tab of this origin runs a refresh. */
  withRefreshLock<T>(task: () => Promise<T>): Promise<T>;
  post(message: TabMessage): void;
  onMessage(handler: (message: TabMessage) => void): void;
  close(): void;
}

/** One tab only (Node, crossTab: false): the client's own single-flight is all the locking needed. */
export function createLocalOnly(): CrossTab {
  return {
    connected: false,
    withRefreshLock: (task) => task(),
    post: () => undefined,
    onMessage: () => undefined,
    close: () => undefined,
  };
}

/**
 * Tabs coordinated over a BroadcastChannel, refreshes serialised by Web Locks when the browser has
 * them, else by a claim protocol on the channel: claim, wait CLAIM_WINDOW_MS, the lowest id of
 * concurrent claimants wins, the others wait for its release (or its lease to lapse, if the tab died).
 */
export function createCrossTab(options: {
  channel: BroadcastChannelLike;
  locks: LockManagerLike | null;
  lockName: string;
  clock: ClientClock;
  random: () => number;
}): CrossTab {
  const { channel, locks, lockName, clock } = options;
  let handler: (message: TabMessage) => void = () => undefined;
  let holder: { id: string; until: number } | null = null;
  let myClaim: string | null = null;
  let waiters: Array<() => void> = [];
  const wake = () => {
    const woken = waiters;
    waiters = [];
    for (const resolve of woken) resolve();
  };
  /** Resolves on the next claim/release message or after `ms`, whichever comes first. */
  const waitForChange = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = clock.setTimeout(resolve, ms);
      waiters.push(() => {
        clock.clearTimeout(timer);
        resolve();
      });
    });

  channel.onmessage = (event) => {
    const message = parseTabMessage(event.data);
    if (message === null) return;
    if (message.type === 'claim') {
      // A concurrent claim with a lower id beats ours; one with a higher id yields to us.
      if (myClaim === null || message.id < myClaim)
        holder = { id: message.id, until: clock.now() + CLAIM_LEASE_MS };
      wake();
      return;
    }
    if (message.type === 'release') {
      if (holder?.id === message.id) holder = null;
      wake();
      return;
    }
    handler(message);
  };

  async function withClaim<T>(task: () => Promise<T>): Promise<T> {
    for (;;) {
      while (holder !== null && holder.until > clock.now()) await waitForChange(holder.until - clock.now());
      holder = null;
      const id = `${clock.now().toString(36)}-${options.random().toString(36).slice(2)}`;
      myClaim = id;
      channel.postMessage({ type: 'claim', id });
      const deadline = clock.now() + CLAIM_WINDOW_MS;
      while (holder === null && clock.now() < deadline) await waitForChange(deadline - clock.now());
      if (holder !== null) {
        myClaim = null; // lost the race: wait for the winner, then claim again
        continue;
      }
      try {
        return await task();
      } finally {
        myClaim = null;
        channel.postMessage({ type: 'release', id });
      }
    }
  }

  return {
    connected: true,
    withRefreshLock: (task) => (locks !== null ? locks.request(lockName, task) : withClaim(task)),
    post: (message) => channel.postMessage(message),
    onMessage: (next) => {
      handler = next;
    },
    close: () => {
      channel.onmessage = null;
      channel.close();
      wake();
    },
  };
}
