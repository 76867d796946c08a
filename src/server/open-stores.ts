import type { Config } from '../config/types.js';
import { createDurableRevocationList } from '../flows/revocation/durable-revocation-list.js';
import { accessTokenWindowSeconds } from '../flows/sessions/access-token-window.js';
import { createStoreOnlyRevocationList, type RevocationList } from '../stores/revocation-list.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { createPostgresStores } from '../stores/postgres/create-postgres-stores.js';
import { openRedis } from '../stores/redis/create-redis.js';
import { MemoryEphemeralStore } from '../stores/memory/memory-ephemeral-store.js';
import { createRedisEphemeralStore } from '../stores/redis/redis-ephemeral-store.js';
import { createRedisRevocationList } from '../stores/redis/redis-revocation-list.js';
import { cacheSessionsInRedis } from '../stores/redis/redis-session-cache.js';
import { createSqliteStores } from '../stores/sqlite/create-sqlite-stores.js';
import type { Stores } from '../stores/types.js';

export interface OpenStoresOptions {
  /** Told the names of the migrations applied while opening (none when up to date): `tessera migrate`. */
  onMigrated?: (applied: readonly string[]) => void;
  logger?: Logger;
  /** Told how long other instances' revocations took to arrive (the Redis fan-out). */
  metrics?: Pick<Metrics, 'revocationHeard'>;
}

export interface OpenedStores {
  /** Every port; `close()` also closes the Redis connections. */
  stores: Stores;
  /** Authoritative (Redis fan-out) when TESSERA_REDIS_URL is set, else the store-only list. */
  revocations: RevocationList;
  /** For the start-up line: which backends, never credentials. */
  description: string;
}

/** How long a cached session-mode session may be served before it is read again (a backstop). */
const SESSION_CACHE_SECONDS = 60;

/**
 * The one place adapters are chosen: the database from TESSERA_DATABASE_URL (SQLite, PostgreSQL),
 * and with TESSERA_REDIS_URL: rate-limit and lockout counters shared by every instance, a session
 * cache, and the revocation fan-out. Without Redis the rate-limit counters live in this process's
 * memory and the lockout counters in the database, so every process on it, `tessera users list`
 * included, sees the same lockouts (decision 0027).
 */
export async function openStores(
  config: Config,
  clock: Clock,
  options: OpenStoresOptions = {},
): Promise<OpenedStores> {
  const { stores: database, description } = await openDatabase(config, clock, options);
  if (config.redisUrl === null) {
    const revocations = createStoreOnlyRevocationList();
    // Rate limits and one-time values need speed, not sharing: in memory. Lockouts stay in the
    // database (stores.lockouts) so every process on it sees the same ones.
    return { stores: { ...database, ephemeral: new MemoryEphemeralStore(clock) }, revocations, description };
  }
  try {
    return await withRedis(config, clock, database, description, options);
  } catch (error) {
    await database.close();
    throw error;
  }
}

async function openDatabase(
  config: Config,
  clock: Clock,
  options: OpenStoresOptions,
): Promise<{ stores: Stores; description: string }> {
  const url = config.databaseUrl;
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    return {
      stores: await createSqliteStores({ path, clock, onMigrated: options.onMigrated }),
      description: `sqlite ${path}`,
    };
  }
  // The config rule admits only sqlite:… and postgres(ql)://.
  const stores = await createPostgresStores({ url, clock, onMigrated: options.onMigrated });
  return { stores, description: `postgres ${hostAndDatabase(url)}` };
}

async function withRedis(
  config: Config,
  clock: Clock,
  database: Stores,
  description: string,
  options: OpenStoresOptions,
): Promise<OpenedStores> {
  const { logger, metrics } = options;
  const prefix = config.redisPrefix;
  const connection = logger === undefined ? {} : { logger };
  const redis = await openRedis(config.redisUrl!, { connectionName: 'tessera', ...connection });
  let revocations: RevocationList;
  try {
    const subscriber = await openRedis(config.redisUrl!, {
      connectionName: 'tessera-revocations',
      ...connection,
    });
    // A revoked session matters until the last access token of it has expired.
    const windowSeconds = accessTokenWindowSeconds(config);
    const fanOut = await createRedisRevocationList({
      publisher: redis,
      subscriber,
      channel: `tessera:${prefix}revocations`,
      retentionSeconds: windowSeconds,
      clock,
      ...connection,
      ...(metrics === undefined
        ? {}
        : { onHeard: ({ lagMs }: { lagMs: number }) => metrics.revocationHeard(lagMs / 1000) }),
    });
    // Seeded from the database before the server listens, so its first answer knows every revocation.
    revocations = await createDurableRevocationList({
      fanOut,
      sessions: database.sessions,
      clock,
      windowSeconds,
      ...connection,
    }).catch(async (error: unknown) => {
      await fanOut.close();
      throw error;
    });
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const sessions = cacheSessionsInRedis(database.sessions, redis, {
    prefix: `tessera:${prefix}`,
    ttlSeconds: SESSION_CACHE_SECONDS,
  });
  const redisEphemeral = createRedisEphemeralStore(redis, { clock, prefix });
  const stores: Stores = {
    ...database,
    sessions,
    ephemeral: redisEphemeral,
    lockouts: redisEphemeral,
    close: async () => {
      await revocations.close();
      await redis.quit().catch(() => redis.disconnect());
      await database.close();
    },
  };
  return { stores, revocations, description: `${description} + redis ${hostAndDatabase(config.redisUrl!)}` };
}

/** host:port/db of a URL, never its credentials: for the start-up line. */
function hostAndDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
