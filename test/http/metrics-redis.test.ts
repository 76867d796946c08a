/**
 * Metrics of an instance among many: the Redis store series, and the propagation lag of revocations
 * announced by another instance, wired as the server wires them (openStores → createDeps → buildApp).
 * Each instance has its own in-memory SQLite; they share a Redis namespace of their own. Skipped when
 * Redis is unreachable, unless TEST_REQUIRE_SERVICES=1.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { createDeps, createMetrics } from '../../src/server/create-deps.js';
import { openStores } from '../../src/server/open-stores.js';
import type { Stores } from '../../src/stores/types.js';
import { parseExposition, sampleValue, type Exposition } from '../helpers/prometheus-text.js';
import { redisUrl, servicesAvailable } from '../helpers/services.js';
import { buildCheckedApp, createSeededRandom, fastHasher, testConfig } from '../helpers/test-deps.js';
import { bearer, registerUser } from './http-kit.js';

const available = await servicesAvailable('test/http/metrics-redis.test.ts', { redis: true });

describe.skipIf(!available)('metrics with Redis (two instances)', () => {
  const config = testConfig({
    databaseUrl: 'sqlite::memory:',
    redisUrl: redisUrl(),
    redisPrefix: `test-metrics-${randomUUID()}:`,
  });
  const opened: Stores[] = [];
  let a: FastifyInstance;
  let b: FastifyInstance;

  async function instance(name: string): Promise<FastifyInstance> {
    const logger = createSilentLogger();
    const metrics = createMetrics(config);
    const { stores, revocations } = await openStores(config, systemClock, { logger, metrics });
    opened.push(stores);
    const deps = await createDeps({
      config,
      stores,
      clock: systemClock,
      random: createSeededRandom(name),
      logger,
      hasher: fastHasher,
      revocations,
      metrics,
    });
    return buildCheckedApp(deps);
  }

  async function scrape(app: FastifyInstance): Promise<Exposition> {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode, response.body).toBe(200);
    return parseExposition(response.body);
  }

  beforeAll(async () => {
    a = await instance('a');
    b = await instance('b');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await Promise.all(opened.map((stores) => stores.close()));
  });

  it('reports Redis up while the revocation fan-out is in sync', async () => {
    const exposition = await scrape(a);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'redis' })).toBe(1);
    expect(sampleValue(exposition, 'tessera_store_up', { store: 'database' })).toBe(1);
  });

  it('a logout on A is announced once by A and heard once by B, with its lag; A does not time its own', async () => {
    const user = await registerUser(a, `lag-${randomUUID()}@example.com`);
    const lagCount = (exposition: Exposition) =>
      sampleValue(exposition, 'tessera_revocation_propagation_seconds_count');
    const before = { a: await scrape(a), b: await scrape(b) };
    const response = await a.inject({
      method: 'POST',
      url: '/auth/logout',
      headers: bearer(user.access_token),
    });
    expect(response.statusCode, response.body).toBe(204);

    // Wait (on the condition, not a fixed time) until B has heard it.
    const deadline = performance.now() + 10_000;
    let afterB = await scrape(b);
    while (lagCount(afterB) === lagCount(before.b)) {
      if (performance.now() > deadline) throw new Error('B never heard the revocation');
      await new Promise((resolve) => setTimeout(resolve, 5));
      afterB = await scrape(b);
    }
    expect(lagCount(afterB) - lagCount(before.b)).toBe(1);
    const afterA = await scrape(a);
    const announced = (exposition: Exposition) =>
      sampleValue(exposition, 'tessera_revocations_announced_total');
    expect(announced(afterA) - announced(before.a)).toBe(1);
    expect(announced(afterB) - announced(before.b)).toBe(0);
    expect(lagCount(afterA) - lagCount(before.a)).toBe(0);
  });
});
