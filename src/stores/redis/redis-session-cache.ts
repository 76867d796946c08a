import type { Redis } from 'ioredis';
import { withUnavailableTranslation } from '../translate-unavailable.js';
import type { SessionRecord, SessionStore } from '../types.js';
import { isRedisUnavailable } from './redis-errors.js';

/**
 * A read-through cache of session records in Redis, in front of the database's SessionStore (README.md,
 * "Running scaled out"). Session-mode requests look their session up on every call; with the cache
 * that is one Redis GET instead of a database query. The cache is shared by every instance, and every
 * write path (touch, revoke) deletes the cached copies before returning, so no instance can serve a
 * revoked session from the cache. Entries also expire after `ttlSeconds` as a backstop.
 *
 * Only session-mode sessions are cached: JWT-mode sessions can also be revoked inside a refresh
 * rotation (reuse detection), which does not pass through this store, and strict mode learns about
 * those from the revocation list rather than from the session record.
 */
export function cacheSessionsInRedis(
  sessions: SessionStore,
  redis: Redis,
  options: { prefix: string; ttlSeconds: number },
): SessionStore {
  // The adapter's boundary: a Redis outage leaves it as StoreUnavailableError (the database's errors
  // arrive translated already).
  return withUnavailableTranslation(createSessionCache(sessions, redis, options), isRedisUnavailable);
}

function createSessionCache(
  sessions: SessionStore,
  redis: Redis,
  options: { prefix: string; ttlSeconds: number },
): SessionStore {
  const key = (id: string) => `${options.prefix}session:${id}`;
  const ttlMs = Math.max(1, Math.round(options.ttlSeconds * 1000));
  return {
    create: (session) => sessions.create(session),
    listActiveForUser: (userId, now) => sessions.listActiveForUser(userId, now),
    listRevokedSince: (after, limit) => sessions.listRevokedSince(after, limit),
    listRevokedSelected: (selection, since) => sessions.listRevokedSelected(selection, since),
    keepRevocationTombstones: (userId, since) => sessions.keepRevocationTombstones(userId, since),
    pruneRevocationTombstones: (before) => sessions.pruneRevocationTombstones(before),
    async findById(id) {
      // A cache, not a dependency: when Redis cannot answer, read the database.
      const cached = await redis.get(key(id)).catch(() => null);
      if (cached !== null) return reviveSession(cached);
      const session = await sessions.findById(id);
      if (session?.kind === 'session') {
        await redis.set(key(id), JSON.stringify(session), 'PX', ttlMs).catch(() => undefined);
      }
      return session;
    },
    async touch(id, lastSeenAt, idleExpiresAt) {
      await sessions.touch(id, lastSeenAt, idleExpiresAt);
      // Best effort: a stale copy carries an older idle expiry, so it can only end a session early.
      await redis.del(key(id)).catch(() => undefined);
    },
    async revoke(args) {
      // Invalidate before writing: with Redis unreachable this throws (503) before anything changed,
      // so a cached copy can never outlive a revocation the database holds. Then once more after the
      // write, for a read that re-cached a row in between.
      const candidates =
        args.ids ?? (await sessions.listActiveForUser(args.userId, args.at)).map((s) => s.id);
      if (candidates.length > 0) await redis.del(...candidates.map(key));
      const revoked = await sessions.revoke(args);
      if (revoked.length > 0) await redis.del(...revoked.map(key));
      return revoked;
    },
    // OAuth clients get JWT-mode sessions only, which are never cached: nothing to invalidate first.
    async revokeForClient(clientId, reason, at) {
      const revoked = await sessions.revokeForClient(clientId, reason, at);
      if (revoked.length > 0) await redis.del(...revoked.map(key));
      return revoked;
    },
  };
}

const DATE_FIELDS = ['createdAt', 'lastSeenAt', 'idleExpiresAt', 'absoluteExpiresAt', 'revokedAt'] as const;

function reviveSession(json: string): SessionRecord {
  const raw = JSON.parse(json) as Record<string, unknown>;
  for (const field of DATE_FIELDS) {
    const value = raw[field];
    raw[field] = value === null || value === undefined ? null : new Date(value as string);
  }
  // Optional (migration 008): absent on sessions opened before it, and then stays absent.
  if (typeof raw['authTime'] === 'string') raw['authTime'] = new Date(raw['authTime']);
  return raw as unknown as SessionRecord;
}
