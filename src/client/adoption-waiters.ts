import type { ClientClock } from './types.js';

/**
 * Waiting for another tab's state: a new tab after its `hello`, or a tab that finds the CSRF cookie
 * rotated under it. `wait(ms)` resolves true when `notify()` reports an adopted state, false after `ms`.
 */
export function createAdoptionWaiters(clock: ClientClock) {
  let waiters: Array<() => void> = [];
  return {
    wait(ms: number): Promise<boolean> {
      return new Promise((resolve) => {
        const timer = clock.setTimeout(() => finish(false), ms);
        const onAdopted = () => finish(true);
        const finish = (adopted: boolean) => {
          clock.clearTimeout(timer);
          waiters = waiters.filter((waiter) => waiter !== onAdopted);
          resolve(adopted);
        };
        waiters.push(onAdopted);
      });
    },
    notify(): void {
      for (const waiter of [...waiters]) waiter();
    },
  };
}
