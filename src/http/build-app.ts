import cookie from '@fastify/cookie';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from '../flows/deps.js';
import { createClientErrorHandler } from './client-error.js';
import { connectionTimeouts, limitConnections } from './connection-limits.js';
import { answerFrameworkError } from './error-handler.js';
import { installRequestMetrics } from './metrics/request-metrics.js';
import { consoleRoutes, defaultConsoleDir } from './routes/console-routes.js';
import { prepareTesseraScope, registerTesseraRoutes } from './tessera-scope.js';

export interface BuildAppOptions {
  /** The built web console to serve at `/` (config `console`); default <package root>/dist/console. */
  consoleDir?: string;
}

/**
 * Builds the Fastify app over the given dependencies, not listening: tests drive it with inject(),
 * `tessera serve` calls listen().
 */
export async function buildApp(deps: Deps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    // Per-request lines only when debugging: at info level a busy server would log every request.
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: config.bodyLimitBytes,
    ...connectionTimeouts(config),
    trustProxy: config.trustProxy,
    // A request that reached the server before shutdown began is answered in full, even when its
    // headers finish arriving after close() started (the default would answer Fastify's non-problem
    // 503). New connections are refused by then, and each answer during the drain closes its connection.
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: createClientErrorHandler(deps.logger),
  });
  limitConnections(app, config);
  // On the root, so answers outside every route (404s, the console's files) are counted too.
  installRequestMetrics(app, deps.metrics);
  await prepareTesseraScope(app, deps);
  app.decorateRequest('principal', null);
  app.decorateRequest('credentialSource', null);
  await app.register(cookie);

  // The console's static files are a page, not API: registered before the routes, so GET
  // /openapi.json does not list them.
  if (config.console) await app.register(consoleRoutes(options.consoleDir ?? defaultConsoleDir()));
  await registerTesseraRoutes(app, deps, { demoResources: true, metricsEndpoint: true });
  return app;
}
