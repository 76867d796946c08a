import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from '../flows/deps.js';
import { rejectQueryTokens } from './credentials.js';
import { answerFrameworkError, installErrorHandlers } from './error-handler.js';
import { buildOpenApiDocument, createRouteCollector, packageVersion } from './openapi.js';
import { CSRF_HEADER } from './plugins/csrf.js';
import { refuseWhileClosing } from './plugins/refuse-while-closing.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { accountRoutes } from './routes/account-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { consoleRoutes, defaultConsoleDir } from './routes/console-routes.js';
import { discoveryRoutes } from './routes/discovery-routes.js';
import { oauthMetadataRoutes } from './routes/oauth-metadata-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { resourceRoutes } from './routes/resource-routes.js';
import { revocationRoutes } from './routes/revocation-routes.js';

export interface BuildAppOptions {
  /** The built web console to serve at `/` (config `console`); default <package root>/dist/console. */
  consoleDir?: string;
}

/**
 * Builds the Fastify app over the given dependencies, not listening: tests drive it with inject(),
 * `tessera serve` calls listen(). Schemas are strict (no coercion, no silently removed members).
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
    trustProxy: config.trustProxy,
    // Off: its answer is not a problem; refuseWhileClosing answers those requests instead.
    return503OnClosing: false,
    frameworkErrors: answerFrameworkError,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, allErrors: false },
    },
  });
  installErrorHandlers(app, deps.logger);
  // JSON only: a text/plain body is what a cross-site <form> or no-preflight fetch would send.
  app.removeContentTypeParser('text/plain');
  app.decorateRequest('principal', null);
  app.decorateRequest('credentialSource', null);

  registerSecurityHeaders(app);
  if (config.corsOrigins.length > 0) {
    // Closed by default: without configured origins no CORS headers are sent at all.
    await app.register(cors, {
      origin: [...config.corsOrigins],
      credentials: true,
      allowedHeaders: ['authorization', 'content-type', CSRF_HEADER],
      exposedHeaders: ['www-authenticate', 'retry-after'],
      maxAge: 600,
    });
  }
  // After the security headers and CORS hooks, so this refusal carries them like every other answer.
  app.addHook('onRequest', async (request) => rejectQueryTokens(request));
  refuseWhileClosing(app);
  await app.register(cookie);

  // The console's static files are a page, not API: registered before the collector, so GET
  // /openapi.json does not list them.
  if (config.console) await app.register(consoleRoutes(options.consoleDir ?? defaultConsoleDir()));

  // Before any route: every route registered from here on is listed in GET /openapi.json.
  const collector = createRouteCollector();
  app.addHook('onRoute', collector.onRoute);

  await app.register(authRoutes(deps));
  await app.register(accountRoutes(deps));
  await app.register(resourceRoutes(deps));
  await app.register(discoveryRoutes(deps));
  await app.register(oauthRoutes(deps));
  await app.register(oauthMetadataRoutes(deps));
  await app.register(revocationRoutes(deps));
  const documentContext = { version: packageVersion(), passwordPolicy: config.password };
  await app.register(openApiRoutes(() => buildOpenApiDocument(collector.routes, documentContext)));
  return app;
}
