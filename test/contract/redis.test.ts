import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/platform/clock.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import { createRedisClient, openRedis } from '../../src/stores/redis/create-redis.js';
import {
  createRedisEphemeralStore,
  RedisEphemeralStore,
} from '../../src/stores/redis/redis-ephemeral-store.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { redisUrl, servicesAvailable, withHostPort } from '../helpers/services.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { describeEphemeralStore } from './suites/ephemeral.js';
import { T0 } from './suites/fixtures.js';
import type { StoreContext } from './suites/fixtures.js';

const available = await servicesAvailable('contract/redis', { redis: true });

/** A prefix no other test (or parallel test file) uses, so keys never collide. */
const uniquePrefix = (): string => `test-${randomUUID()}:`;

async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  const keys = await client.keys(`tessera:${prefix}*`);
  if (keys.length > 0) await client.del(...keys);
}

/**
 * Only the EphemeralStore lives in Redis; the other ports stay in memory here (PostgreSQL has its own
 * contract run). Expiry is decided against the injected clock, as in every other adapter, so the
 * whole ephemeral contract runs unchanged on a fixed clock: nothing sleeps.
 */
describe.skipIf(!available)('redis stores', () => {
  let client: Redis;
  let prefix: string;
  const ctx = {} as StoreContext;

  beforeAll(async () => {
    client = await openRedis(redisUrl(), { connectionName: 'tessera-test-contract' });
  });

  afterAll(async () => {
    await client?.quit();
  });

  beforeEach(() => {
    prefix = uniquePrefix();
    ctx.clock = createFixedClock(T0);
    ctx.stores = {
      ...createMemoryStores({ clock: ctx.clock }),
      ephemeral: new RedisEphemeralStore(client, { clock: ctx.clock, prefix }),
    };
  });

  afterEach(async () => {
    await ctx.stores.close();
    await deleteKeys(client, prefix);
  });

  describeEphemeralStore(ctx);

  describe('RedisEphemeralStore in Redis', () => {
    it('keeps keys under tessera:<prefix>ephemeral: as hashes Redis collects after expiry', async () => {
      await ctx.stores.ephemeral.set('code', 'v', 60);
      await ctx.stores.ephemeral.increment('ip:1', 2.5);
      const key = `tessera:${prefix}ephemeral:code`;
      expect(await client.keys(`tessera:${prefix}*`)).toHaveLength(2);
      expect(await client.hgetall(key)).toEqual({ v: 'v', e: String(T0.getTime() + 60_000) });
      const pttl = await client.pttl(key);
      expect(pttl).toBeGreaterThan(60_000);
      expect(pttl).toBeLessThanOrEqual(61_000);
      expect(await client.pttl(`tessera:${prefix}ephemeral:ip:1`)).toBeGreaterThan(2500);
    });

    it('a later increment keeps the collection deadline; a restarted counter gets a new one', async () => {
      const key = `tessera:${prefix}ephemeral:n`;
      await ctx.stores.ephemeral.increment('n', 30);
      await client.pexpire(key, 5000); // marks the deadline the first increment set
      await ctx.stores.ephemeral.increment('n', 30);
      expect(await client.pttl(key)).toBeLessThanOrEqual(5000);
      ctx.clock.advanceSeconds(30);
      expect(await ctx.stores.ephemeral.increment('n', 30)).toEqual({ count: 1, ttlSeconds: 30 });
      expect(await client.pttl(key)).toBeGreaterThan(30_000);
    });

    it('keeps prefixes apart', async () => {
      const other = new RedisEphemeralStore(client, { clock: ctx.clock, prefix: uniquePrefix() });
      await ctx.stores.ephemeral.set('k', 'mine', 60);
      await ctx.stores.ephemeral.increment('n', 60);
      expect(await other.get('k')).toBeUndefined();
      expect(await other.increment('n', 60)).toEqual({ count: 1, ttlSeconds: 60 });
      await other.delete('n');
    });

    it('never loses a count when two instances (two connections) increment one key', async () => {
      const second = await openRedis(redisUrl(), { connectionName: 'tessera-test-contract-2' });
      try {
        const stores = [ctx.stores.ephemeral, new RedisEphemeralStore(second, { clock: ctx.clock, prefix })];
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) => stores[i % 2]!.increment('shared', 60)),
        );
        expect(results.map((r) => r.count).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 100 }, (_, i) => i + 1),
        );
      } finally {
        await second.quit();
      }
    });

    it('fails fast as unavailable while Redis is unreachable, and recovers by itself', async () => {
      const proxy = await startTcpProxy({ targetPort: Number(new URL(redisUrl()).port || 6379) });
      const viaProxy = await openRedis(withHostPort(redisUrl(), '127.0.0.1', proxy.port), {
        maxRetryDelayMs: 50,
      });
      try {
        const store = createRedisEphemeralStore(viaProxy, { clock: ctx.clock, prefix });
        expect(await store.increment('n', 60)).toEqual({ count: 1, ttlSeconds: 60 });
        await proxy.cut();
        await waitFor(() => viaProxy.status !== 'ready');
        const started = performance.now();
        const error = await store.increment('n', 60).catch((caught: unknown) => caught);
        expect(performance.now() - started).toBeLessThan(50);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        await proxy.restore();
        await waitFor(() => viaProxy.status === 'ready');
        expect(await store.increment('n', 60)).toEqual({ count: 2, ttlSeconds: 60 });
      } finally {
        viaProxy.disconnect();
        await proxy.close();
      }
    });

    it('openRedis refuses to start against an address where nothing answers', async () => {
      const proxy = await startTcpProxy({ targetPort: Number(new URL(redisUrl()).port || 6379) });
      await proxy.cut();
      const url = withHostPort('redis://:hunter2@127.0.0.1:6379', '127.0.0.1', proxy.port);
      const error = await openRedis(url, { startTimeoutMs: 200 }).catch((caught: unknown) => caught);
      await proxy.close();
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toBe(
        `Redis at redis://:***@127.0.0.1:${proxy.port} did not answer within 200 ms.`,
      );
    });

    it('a client made by createRedisClient connects in the background', async () => {
      const background = createRedisClient(redisUrl());
      try {
        await waitFor(() => background.status === 'ready');
        expect(await background.ping()).toBe('PONG');
      } finally {
        await background.quit();
      }
    });
  });
});

/** Polls a condition every few milliseconds, for at most two seconds. */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
