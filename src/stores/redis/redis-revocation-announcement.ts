/** The wire format of revocation announcements on the Redis channel and the recent set. */

/**
 * Records the ids in the recent set (scored by time, trimmed to the retention window) and publishes
 * them, in one atomic step: an id is in the set if and only if its message went out, so an instance
 * that subscribes first and reads the set second misses nothing.
 */
export const ANNOUNCE_SCRIPT = `
local now = tonumber(ARGV[2])
local retention = tonumber(ARGV[3])
for i = 5, #ARGV do redis.call('ZADD', KEYS[1], now, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - retention)
redis.call('PEXPIRE', KEYS[1], retention)
return redis.call('PUBLISH', ARGV[1], ARGV[4])
`;

/**
 * The message for a batch of ids announced at `atMs` (the announcer's clock) by the list `origin` (a
 * random id per list, so a list can tell its own messages from the others' when it measures lag).
 */
export function formatAnnouncement(ids: readonly string[], atMs: number, origin?: string): string {
  return JSON.stringify(origin === undefined ? { ids, at: atMs } : { ids, at: atMs, origin });
}

/**
 * `{"ids": [string, …], "at": ms, "origin"?: string}`, or undefined for anything else (a message from
 * something that is not Tessera). `at` is the announcer's clock, as the recent set's scores are: a
 * revocation matters for the same window whether it is heard live or caught up on, and retention
 * includes the clock tolerance. `origin` is absent in messages of versions that did not send it.
 */
export function parseAnnouncement(
  message: string,
): { ids: string[]; at: number; origin: string | undefined } | undefined {
  try {
    const { ids, at, origin } = (JSON.parse(message) ?? {}) as {
      ids?: unknown;
      at?: unknown;
      origin?: unknown;
    };
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return undefined;
    if (typeof at !== 'number' || !Number.isFinite(at)) return undefined;
    return { ids, at, origin: typeof origin === 'string' ? origin : undefined };
  } catch {
    return undefined;
  }
}
