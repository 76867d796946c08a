import type { ClientClock } from '../../../src/client/types.js';

/**
 * A clock the test moves by hand. `advance` fires due timers in time order and lets the promises
 * they start settle (the fake server answers through microtasks and one macrotask turn).
 */
export interface FakeClock extends ClientClock {
  advance(ms: number): Promise<void>;
  /** Milliseconds from now until each pending timer fires. */
  pendingDelays(): number[];
}

export const CLOCK_START = Date.UTC(2026, 0, 15, 10, 0, 0);

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createFakeClock(start = CLOCK_START): FakeClock {
  let now = start;
  let sequence = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const due = (limit: number) =>
    [...timers.entries()]
      .filter(([, t]) => t.at <= limit)
      .sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
  return {
    now: () => now,
    setTimeout(callback, delayMs) {
      sequence += 1;
      timers.set(sequence, { at: now + Math.max(0, delayMs), callback });
      return sequence;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (let next = due(target); next !== undefined; next = due(target)) {
        const [id, timer] = next;
        timers.delete(id);
        now = Math.max(now, timer.at);
        timer.callback();
        await settle();
      }
      now = target;
      await settle();
    },
    pendingDelays: () => [...timers.values()].map((t) => t.at - now).sort((a, b) => a - b),
  };
}
