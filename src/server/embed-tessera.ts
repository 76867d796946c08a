import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { checkPrefix } from '../http/embed/prefix.js';
import { createTesseraPlugin } from '../http/embed/tessera-plugin.js';
import type { TesseraWeb } from '../http/embed/web-handler.js';
import type { TesseraRuntime } from './open-embedded.js';

export type { TesseraRuntime };

// The package entry point re-exports this file, so it stays light: the stores, drivers and routes are
// imported when a host registers the plugin or creates the handler, not when anyone imports 'tessera'.

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

/**
 * Tessera as a Fastify plugin inside your own app: `await app.register(tessera({ prefix: '/identity' }))`
 * mounts the auth routes with the standalone server's stores, cookies, CSRF checks, rate limits and
 * error answers, and gives the host's routes `app.tessera.requireAuth` / `requireRoles(...)` and
 * `request.principal`. Closing the app closes Tessera's stores. Guide: docs/embedding.md.
 *
 * @example
 * const app = Fastify();
 * await app.register(tessera({ prefix: '/identity', config: { databaseUrl: 'sqlite:./data/auth.db' } }));
 * app.get('/api/orders', { preHandler: app.tessera.requireAuth }, async (request) => ({
 *   user: request.principal!.userId,
 * }));
 */
export function tessera(options: TesseraOptions = {}, runtime: TesseraRuntime = {}) {
  const prefix = checkPrefix(options.prefix);
  const config = loadEmbeddedConfig(options);
  return createTesseraPlugin(async (hostLogger) => {
    const { openEmbedded } = await import('./open-embedded.js');
    return openEmbedded(config, runtime, runtime.logger ?? hostLogger);
  }, prefix);
}

/**
 * Tessera as a Web-standard handler, `(Request) => Promise<Response>`, for Hono, Next.js route handlers
 * and (through nodeHandler) Express or node:http, plus `authenticate(request)` for the host's routes.
 *
 * @example
 * const auth = await createTesseraHandler({ prefix: '/identity' });
 * app.all('/identity/*', (c) => auth.handler(c.req.raw, { clientAddress: getConnInfo(c).remote.address }));
 * const result = await auth.authenticate(request); // { principal } or { response } (401/403) to send back
 */
export async function createTesseraHandler(
  options: TesseraOptions = {},
  runtime: TesseraRuntime = {},
): Promise<TesseraWeb> {
  const prefix = checkPrefix(options.prefix);
  const config = loadEmbeddedConfig(options);
  const [{ openEmbedded }, { createWebHandler }, { createLogger }] = await Promise.all([
    import('./open-embedded.js'),
    import('../http/embed/web-handler.js'),
    import('../platform/logger.js'),
  ]);
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
