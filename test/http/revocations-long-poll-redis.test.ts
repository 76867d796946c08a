/**
 * Two instances sharing their stores (as they share PostgreSQL) and a Redis fan-out: a logout on B
 * wakes a feed request parked on A. Skipped when Redis is unreachable, unless TEST_REQUIRE_SERVICES=1.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/flows/deps.js';
import {
  createRevocationFeedWaiters,
  type RevocationFeedWaiters,
} from '../../src/flows/revocation/revocation-feed-wait.js';
import type { RevocationList } from '../../src/stores/revocation-list.js';
import { revocationRoutes } from '../../src/http/routes/revocation-routes.js';
import { createFixedClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import { openRedis } from '../../src/stores/redis/create-redis.js';
import { createRedisRevocationList } from '../../src/stores/redis/redis-revocation-list.js';
import { decodeJwtUnverified } from '../../src/token/decode.js';
import { redisUrl, servicesAvailable } from '../helpers/services.js';
import {
  buildCheckedApp,
  createSeededRandom,
  fastHasher,
  TEST_START,
  testConfig,
} from '../helpers/test-deps.js';
import { bearer, registerUser } from './http-kit.js';

const available = await servicesAvailable('test/http/revocations-long-poll-redis.test.ts', { redis: true });

describe.skipIf(!available)('GET /auth/revocations?wait= across two instances (Redis fan-out)', () => {
  const connections: Redis[] = [];
  const lists: RevocationList[] = [];
  const channel = `tessera:test-${randomUUID()}:revocations`;
  const clock = createFixedClock(TEST_START);
  const config = testConfig();
  const stores = createMemoryStores({ clock }); // the shared database
  let a: FastifyInstance;
  let b: FastifyInstance;
  let waitersA: RevocationFeedWaiters;

  async function instanceDeps(): Promise<Deps> {
    const open = async () => {
      const connection = await openRedis(redisUrl(), { connectionName: 'tessera-test-long-poll' });
      connections.push(connection);
      return connection;
    };
    const revocations = await createRedisRevocationList({
      publisher: await open(),
      subscriber: await open(),
      channel,
      retentionSeconds: config.accessTokenTtlSeconds + config.clockToleranceSeconds,
      clock,
    });
    lists.push(revocations);
    return createDeps({
      config,
      stores,
      clock,
      random: createSeededRandom(`instance-${lists.length}`),
      logger: createSilentLogger(),
      hasher: fastHasher,
      revocations,
    });
  }

  beforeAll(async () => {
    const depsA = await instanceDeps();
    waitersA = createRevocationFeedWaiters(depsA.revocations);
    a = Fastify();
    await a.register(revocationRoutes(depsA, { waiters: waitersA })); // A's feed, parked requests counted
    await a.ready();
    b = await buildCheckedApp(await instanceDeps());
  });

  afterAll(async () => {
    await Promise.all([a, b].map((app) => app?.close()));
    await Promise.all(lists.map((list) => list.close()));
    await Promise.all(
      connections.map((connection) => connection.quit().catch(() => connection.disconnect())),
    );
    await stores.close();
  });

  it('a logout on B wakes a request parked on A, long before its wait', async () => {
    const alice = await registerUser(b);
    const start = (await a.inject({ method: 'GET', url: '/auth/revocations' })).json<{ cursor: string }>();
    const parked = a.inject({ method: 'GET', url: `/auth/revocations?since=${start.cursor}&wait=30` });
    while (waitersA.parked === 0) await new Promise((resolve) => setImmediate(resolve));

    const logout = await b.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(alice.access_token),
    });
    expect(logout.statusCode).toBe(204);
    // A 30 s wait would outlive the test's timeout: the answer comes from B's announcement via Redis.
    const response = await parked;
    expect(response.statusCode).toBe(200);
    expect(response.json<{ revoked: { sid: string }[] }>().revoked.map((entry) => entry.sid)).toEqual([
      decodeJwtUnverified(alice.access_token).payload.sid,
    ]);
    expect(waitersA.parked).toBe(0);
  });
});
