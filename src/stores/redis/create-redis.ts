import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { Logger } from '../../platform/logger.js';
import { StoreUnavailableError } from '../../errors.js';

export interface RedisConnectionOptions {
  /** Shown by CLIENT LIST (`tessera`, `tessera-revocations`), so operators can tell connections apart. */
  connectionName?: string;
  /** One connection attempt; default 2000 ms. */
  connectTimeoutMs?: number;
  /** Reconnection backs off from 50 ms, doubling up to this; default 2000 ms. It never gives up. */
  maxRetryDelayMs?: number;
  /**
   * A command that gets no reply for this long tears the connection down (and it reconnects), so a
   * silently dead peer is noticed; default 3000 ms.
   */
  socketTimeoutMs?: number;
  logger?: Logger;
}

/** Capped exponential backoff (50, 100, 200, … ms up to `maxMs`), forever: Redis coming back is picked up. */
export function reconnectDelayMs(attempt: number, maxMs: number): number {
  return Math.min(50 * 2 ** Math.min(attempt - 1, 16), maxMs);
}

/** The URL as it can be logged: without its password. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/**
 * The settings every Tessera connection uses. Fail fast while down: no offline queue (a command sent
 * while disconnected rejects at once, which the adapters translate into StoreUnavailableError: 503) and no resending of a
 * command that was in flight when the connection dropped (an increment resent after a reconnect could
 * count twice). The connection itself keeps reconnecting in the background.
 */
export function redisOptions(options: RedisConnectionOptions = {}): RedisOptions {
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 2000;
  return {
    lazyConnect: false,
    enableOfflineQueue: false,
    enableReadyCheck: true,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectTimeout: options.connectTimeoutMs ?? 2000,
    socketTimeout: options.socketTimeoutMs ?? 3000,
    retryStrategy: (attempt) => reconnectDelayMs(attempt, maxRetryDelayMs),
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  };
}

/**
 * A connection that starts connecting at once and reconnects on its own. Connection changes are
 * logged once per transition, not once per retry, so an outage does not flood the log.
 */
export function createRedisClient(url: string, options: RedisConnectionOptions = {}): Redis {
  const client = new Redis(url, redisOptions(options));
  const logger = options.logger;
  const context = { redis: redactRedisUrl(url), connection: options.connectionName ?? null };
  let wasReady = false;
  let lastError: string | undefined;
  client.on('ready', () => {
    wasReady = true;
    lastError = undefined;
    logger?.info(context, 'Redis connection ready');
  });
  client.on('close', () => {
    if (wasReady) logger?.warn(context, 'Redis connection lost; reconnecting');
    wasReady = false;
  });
  // Without a listener ioredis prints every error itself; the first of each kind is enough here.
  client.on('error', (error: Error) => {
    if (error.message === lastError) return;
    lastError = error.message;
    logger?.warn({ ...context, err: error.message }, 'Redis connection error');
  });
  return client;
}

/**
 * A connection that is ready for commands, for start-up: rejects with StoreUnavailableError (naming
 * the URL without its password) when Redis does not answer within `startTimeoutMs` (default 5000 ms),
 * and then stops reconnecting, so a server that cannot reach Redis refuses to start.
 */
export async function openRedis(
  url: string,
  options: RedisConnectionOptions & { startTimeoutMs?: number } = {},
): Promise<Redis> {
  const client = createRedisClient(url, options);
  if (client.status === 'ready') return client;
  const startTimeoutMs = options.startTimeoutMs ?? 5000;
  let lastError: unknown;
  const onError = (error: unknown): void => {
    lastError = error;
  };
  client.on('error', onError);
  let onReady = (): void => {};
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(reject, startTimeoutMs);
      onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      client.once('ready', onReady);
    });
    return client;
  } catch {
    client.disconnect();
    throw new StoreUnavailableError(
      `Redis at ${redactRedisUrl(url)} did not answer within ${startTimeoutMs} ms.`,
      { cause: lastError },
    );
  } finally {
    client.off('error', onError);
    client.off('ready', onReady);
  }
}
