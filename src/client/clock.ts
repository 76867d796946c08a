import type { ClientClock } from './types.js';

/**
 * The real clock: the one file of src/client allowed to read Date.now (eslint.config.js). Everything
 * else takes a ClientClock, so tests drive time by hand.
 */
export const systemClock: ClientClock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
