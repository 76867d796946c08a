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

/** The message for a batch of ids announced at `atMs` (the announcer's clock). */
export function formatAnnouncement(ids: readonly string[], atMs: number): string {
  return JSON.stringify({ ids, at: atMs });
}

/**
 * `{"ids": [string, …], "at": ms}`, or undefined for anything else (a message from something that is
 * not Tessera). `at` is the announcer's clock, as the recent set's scores are: a revocation matters for
 * the same window whether it is heard live or caught up on, and retention includes the clock tolerance.
 */
export function parseAnnouncement(message: string): { ids: string[]; at: number } | undefined {
  try {
    const { ids, at } = (JSON.parse(message) ?? {}) as { ids?: unknown; at?: unknown };
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return undefined;
    return typeof at === 'number' && Number.isFinite(at) ? { ids, at } : undefined;
  } catch {
    return undefined;
  }
}
