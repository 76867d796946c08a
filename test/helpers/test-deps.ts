import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import type { Deps } from '../../src/flows/deps.js';
import { createArgon2Hasher } from '../../src/platform/argon2-password-hasher.js';
import { buildApp, type BuildAppOptions } from '../../src/http/build-app.js';
import { createFixedClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import type { Random } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { checkAppResponses } from './openapi-conformance-recorder.js';
import { createMemoryStores } from '../../src/stores/memory/create-memory-stores.js';
import type { Stores } from '../../src/stores/types.js';

export const TEST_START = new Date('2026-01-15T10:00:00Z');

/** Deterministic randomness: SHA-256 of seed and counter, so every run issues the same ids. */
export function createSeededRandom(seed = 'tessera-test'): Random {
  let counter = 0;
  return {
    bytes(length: number) {
      const out = Buffer.alloc(length);
      for (let offset = 0; offset < length; offset += 32) {
        createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, offset);
      }
      return out;
    },
  };
}

/** argon2id with tiny parameters: the real code path, fast enough for hundreds of logins in a test. */
export const fastHasher = createArgon2Hasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });

/** Defaults plus overrides, frozen like the real thing. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  const base = loadConfig({ env: {} });
  return Object.freeze({ ...base, issuer: 'http://127.0.0.1:3000', ...overrides });
}

export type TestDeps = Deps & { clock: ReturnType<typeof createFixedClock> };

/** Fixed clock, seeded random, memory stores, fast hasher, silent logger. */
export async function createTestDeps(
  options: {
    config?: Partial<Config>;
    stores?: (clock: ReturnType<typeof createFixedClock>) => Stores | Promise<Stores>;
  } = {},
): Promise<TestDeps> {
  const clock = createFixedClock(TEST_START);
  const config = testConfig(options.config);
  const stores = options.stores ? await options.stores(clock) : createMemoryStores({ clock });
  const deps = await createDeps({
    config,
    stores,
    clock,
    random: createSeededRandom(),
    logger: createSilentLogger(),
    hasher: fastHasher,
  });
  return { ...deps, clock };
}

/**
 * The app over the given deps, ready, whose `inject(...)` checks every response against the app's
 * own /openapi.json (a drift fails the test that received it).
 */
export async function buildCheckedApp(deps: Deps, options?: BuildAppOptions): Promise<FastifyInstance> {
  const app = await buildApp(deps, options);
  await app.ready();
  return checkAppResponses(app);
}

/** An app over test deps, for `app.inject(...)`; every response is checked against /openapi.json. */
export async function createTestApp(
  options: Parameters<typeof createTestDeps>[0] = {},
): Promise<{ app: FastifyInstance; deps: TestDeps }> {
  const deps = await createTestDeps(options);
  return { app: await buildCheckedApp(deps), deps };
}
