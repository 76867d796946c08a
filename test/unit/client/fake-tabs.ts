import type { BroadcastChannelLike, LockManagerLike, WebStorageLike } from '../../../src/client/types.js';

/** One origin's BroadcastChannel: a message reaches every other channel of the same name, later. */
export function createChannelBus() {
  const channels = new Set<{ name: string; channel: BroadcastChannelLike }>();
  const posted: unknown[] = [];
  return {
    posted,
    create(name: string): BroadcastChannelLike {
      const entry = {
        name,
        channel: {
          onmessage: null as BroadcastChannelLike['onmessage'],
          postMessage(message: unknown) {
            posted.push(message);
            const data: unknown = structuredClone(message);
            for (const other of channels) {
              if (other === entry || other.name !== name) continue;
              setImmediate(() => other.channel.onmessage?.({ data }));
            }
          },
          close() {
            channels.delete(entry);
          },
        },
      };
      channels.add(entry);
      return entry.channel;
    },
  };
}

/** navigator.locks with exclusive locks granted in request order (Node 20 has no Web Locks). */
export function createFakeLocks(): LockManagerLike & { grants: number } {
  const tails = new Map<string, Promise<unknown>>();
  const locks = {
    grants: 0,
    request<T>(name: string, callback: () => Promise<T>): Promise<T> {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(
        () => {
          locks.grants += 1;
          return callback();
        },
        () => {
          locks.grants += 1;
          return callback();
        },
      );
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
  return locks;
}

export function createFakeStorage(): WebStorageLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}
