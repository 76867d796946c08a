import type { Redis } from 'ioredis';
import type { Clock } from '../../platform/clock.js';
import { assertTtlSeconds, expiresAtMsFrom, isLive, secondsLeft } from '../ephemeral-rules.js';
import type { EphemeralStore } from '../types.js';
import { defineRedisScript } from './redis-script.js';
import { withUnavailableTranslation } from '../translate-unavailable.js';
import { isRedisUnavailable } from './redis-errors.js';

/** How long after its logical expiry Redis drops a key (see RedisEphemeralStore). */
const GARBAGE_SLACK_MS = 1000;

/** A live entry counts up and keeps its expiry; a missing or expired one starts again at 1. */
const INCREMENT = `
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'e'))
if expiresAt == nil or expiresAt <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'c', 1, 'e', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {1, ARGV[2]}
end
return {redis.call('HINCRBY', KEYS[1], 'c', 1), redis.call('HGET', KEYS[1], 'e')}
`;

const GET_AND_DELETE = `
local entry = redis.call('HMGET', KEYS[1], 'v', 'e')
redis.call('DEL', KEYS[1])
return entry
`;

/** Replaces value, count and lifetime at once (a set after increments starts a fresh entry). */
const SET = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'e', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
`;

type Field = string | null;

export interface RedisEphemeralStoreOptions {
  clock: Clock;
  /** Goes between `tessera:` and `ephemeral:`, e.g. `tenant-a:`; tests use a unique one each. Default ''. */
  prefix?: string;
}

/**
 * Each key is a hash, as a row in SQL: `v` the value (set only), `c` the count (increment only), `e`
 * the expiry in ms since the epoch by the injected clock. A plain string would not do: INCR leaves a
 * number that GET would hand out, while a counter must have no value.
 *
 * Expiry is decided by `e` against the caller's clock, exactly as the memory and SQLite stores decide
 * it, so every adapter passes the same contract with a fixed clock. Redis's own PEXPIRE only collects
 * the garbage: it drops a key a second after its logical expiry, and that slack keeps a small clock
 * difference between this host and Redis from ending a key early.
 */
/** The adapter as the server uses it: Redis outages leave it as StoreUnavailableError. */
export function createRedisEphemeralStore(
  client: Redis,
  options: RedisEphemeralStoreOptions,
): EphemeralStore {
  return withUnavailableTranslation(new RedisEphemeralStore(client, options), isRedisUnavailable);
}

export class RedisEphemeralStore implements EphemeralStore {
  readonly #client: Redis;
  readonly #clock: Clock;
  readonly #keyPrefix: string;
  readonly #increment;
  readonly #getAndDelete;
  readonly #set;

  constructor(client: Redis, options: RedisEphemeralStoreOptions) {
    this.#client = client;
    this.#clock = options.clock;
    this.#keyPrefix = `tessera:${options.prefix ?? ''}ephemeral:`;
    this.#increment = defineRedisScript<[number, string]>(client, 'tesseraEphemeralIncrement', INCREMENT, 1);
    this.#getAndDelete = defineRedisScript<[Field, Field]>(client, 'tesseraEphemeralTake', GET_AND_DELETE, 1);
    this.#set = defineRedisScript<null>(client, 'tesseraEphemeralSet', SET, 1);
  }

  /** One script, so concurrent increments from any number of instances never lose a count. */
  async increment(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }> {
    assertTtlSeconds(ttlSeconds);
    const nowMs = this.#clock.now().getTime();
    const [count, expiresAtMs] = await this.#increment(
      [this.#key(key)],
      [nowMs, expiresAtMsFrom(nowMs, ttlSeconds), garbageAfterMs(ttlSeconds)],
    );
    return { count, ttlSeconds: secondsLeft(Number(expiresAtMs), nowMs) };
  }

  async get(key: string): Promise<string | undefined> {
    const [value = null, expiresAtMs = null] = await this.#client.hmget(this.#key(key), 'v', 'e');
    return this.#liveValue(value, expiresAtMs);
  }

  async count(key: string): Promise<number> {
    const [count = null, expiresAtMs = null] = await this.#client.hmget(this.#key(key), 'c', 'e');
    if (count === null || expiresAtMs === null) return 0;
    return isLive(Number(expiresAtMs), this.#clock.now().getTime()) ? Number(count) : 0;
  }

  /** One script (read, then DEL): a one-time value is handed out once. Counters have no value. */
  async getAndDelete(key: string): Promise<string | undefined> {
    const [value, expiresAtMs] = await this.#getAndDelete([this.#key(key)], []);
    return this.#liveValue(value, expiresAtMs);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    assertTtlSeconds(ttlSeconds);
    const nowMs = this.#clock.now().getTime();
    await this.#set(
      [this.#key(key)],
      [value, expiresAtMsFrom(nowMs, ttlSeconds), garbageAfterMs(ttlSeconds)],
    );
  }

  async delete(key: string): Promise<void> {
    await this.#client.del(this.#key(key));
  }

  #key(key: string): string {
    return this.#keyPrefix + key;
  }

  #liveValue(value: Field, expiresAtMs: Field): string | undefined {
    if (value === null || expiresAtMs === null) return undefined;
    return isLive(Number(expiresAtMs), this.#clock.now().getTime()) ? value : undefined;
  }
}

function garbageAfterMs(ttlSeconds: number): number {
  return Math.ceil(ttlSeconds * 1000) + GARBAGE_SLACK_MS;
}
