import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { ensureBootstrapAdmin } from '../flows/admin.js';
import type { PasswordHasher } from '../flows/password-hasher.js';
import { checkPrefix } from '../http/embed/mount-tessera.js';
import { createTesseraPlugin, type EmbeddedDeps } from '../http/embed/tessera-plugin.js';
import { createWebHandler, type TesseraWeb } from '../http/embed/web-handler.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { cryptoRandom, type Random } from '../platform/random.js';
import { createDeps } from './create-deps.js';
import { startKeyMaintenance } from './key-maintenance.js';
import { openStores } from './open-stores.js';

export interface TesseraOptions {
  /** Where Tessera's routes go: '' (default) gives /auth/login, '/identity' gives /identity/auth/login. */
  prefix?: string;
  /**
   * Settings, with the names and nesting of the config file (`{ accessTokenTtlSeconds: '10m',
   * databaseUrl: 'sqlite:./data/auth.db', cookieMode: true }`), checked by the same rules; a bad one
   * throws ConfigError from `tessera()` itself. host, port and console are the standalone server's.
   */
  config?: Readonly<Record<string, unknown>>;
  /** TESSERA_* variables to read too, over `config` (pass process.env); none by default. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Replacements for the real clock, randomness, hasher or logger: for tests. */
export interface TesseraRuntime {
  clock?: Clock;
  random?: Random;
  hasher?: PasswordHasher;
  logger?: Logger;
}

/**
 * Tessera as a Fastify plugin inside your own app: `await app.register(tessera({ prefix: '/identity' }))`
 * mounts the auth routes with the standalone server's stores, cookies, CSRF checks, rate limits and
 * error answers, and gives the host's routes `app.tessera.requireAuth` / `requireRoles(...)` and
 * `request.principal`. Closing the app closes Tessera's stores.
 */
export function tessera(options: TesseraOptions = {}, runtime: TesseraRuntime = {}) {
  const prefix = checkPrefix(options.prefix);
  const config = loadEmbeddedConfig(options);
  return createTesseraPlugin(
    (hostLogger) => openEmbedded(config, runtime, runtime.logger ?? hostLogger),
    prefix,
  );
}

/**
 * Tessera as a Web-standard handler, `(Request) => Promise<Response>`, for Hono, Next.js route handlers
 * and (through nodeHandler) Express or node:http, plus `authenticate(request)` for the host's routes.
 */
export async function createTesseraHandler(
  options: TesseraOptions = {},
  runtime: TesseraRuntime = {},
): Promise<TesseraWeb> {
  const prefix = checkPrefix(options.prefix);
  const config = loadEmbeddedConfig(options);
  const logger = runtime.logger ?? createLogger({ level: config.logLevel });
  const embedded = await openEmbedded(config, runtime, logger);
  try {
    return await createWebHandler(embedded.deps, { prefix, close: embedded.close });
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

function loadEmbeddedConfig(options: TesseraOptions): Config {
  return loadConfig({ env: options.env ?? {}, settings: options.config ?? {} });
}

/** As startServer does, without listening: stores, keys, the bootstrap admin, key maintenance. */
async function openEmbedded(config: Config, runtime: TesseraRuntime, logger: Logger): Promise<EmbeddedDeps> {
  const clock = runtime.clock ?? systemClock;
  const { stores, revocations } = await openStores(config, clock, { logger });
  try {
    const deps = await createDeps({
      config,
      stores,
      clock,
      random: runtime.random ?? cryptoRandom,
      logger,
      revocations,
      ...(runtime.hasher === undefined ? {} : { hasher: runtime.hasher }),
    });
    await ensureBootstrapAdmin(deps);
    const keyMaintenance = startKeyMaintenance(deps);
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await keyMaintenance.stop();
        await stores.close();
      })());
    return { deps, close };
  } catch (error) {
    await stores.close();
    throw error;
  }
}
