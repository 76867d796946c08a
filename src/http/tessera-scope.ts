import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../flows/deps.js';
import { rejectQueryTokens } from './credentials.js';
import { installErrorHandlers } from './error-handler.js';
import { metricsRoutes } from './metrics/metrics-routes.js';
import { buildOpenApiDocument, createRouteCollector, packageVersion } from './openapi.js';
import { CSRF_HEADER } from './plugins/csrf.js';
import { installRateLimits } from './plugins/rate-limit.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { accountRoutes } from './routes/account-routes.js';
import { mfaRoutes } from './routes/mfa-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { devMailRoutes } from './routes/dev-mail-routes.js';
import { discoveryRoutes } from './routes/discovery-routes.js';
import { oauthMetadataRoutes } from './routes/oauth-metadata-routes.js';
import { oauthRoutes } from './routes/oauth-routes.js';
import { openApiRoutes } from './routes/openapi-routes.js';
import { recoveryRoutes } from './routes/recovery-routes.js';
import { passkeyRoutes } from './routes/passkey-routes.js';
import { resourceRoutes } from './routes/resource-routes.js';
import { revocationRoutes } from './routes/revocation-routes.js';
import { installStrictValidator } from './strict-validator.js';

/**
 * What every answer of Tessera's own routes gets, standalone or embedded in a host's app: the problem
 * error answers, strict request schemas (whatever the host's validator options), JSON-only bodies,
 * the security headers, CORS, the refusal of query-string tokens and the routes' declared rate limits.
 * Embedded, `app` is an encapsulated context, so none of it reaches the host's other routes.
 */
export async function prepareTesseraScope(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config } = deps;
  installErrorHandlers(app, deps.logger);
  installStrictValidator(app);
  // JSON only: a text/plain body is what a cross-site <form> or no-preflight fetch would send.
  app.removeContentTypeParser('text/plain');
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
  // Before any route: each route's declared `config.rateLimits` is applied by this one hook.
  installRateLimits(app, deps);
}

/**
 * Tessera's routes, each listed in GET /openapi.json. The demo resources (/api/secure, /api/admin)
 * belong to the standalone server only: an embedding host protects its own routes. So does GET
 * /metrics (when TESSERA_METRICS is on): a host exposes its own metrics.
 */
export async function registerTesseraRoutes(
  app: FastifyInstance,
  deps: Deps,
  options: { demoResources: boolean; metricsEndpoint?: boolean },
): Promise<void> {
  // Before any route: every route registered from here on is listed in GET /openapi.json.
  const collector = createRouteCollector();
  app.addHook('onRoute', collector.onRoute);

  await app.register(authRoutes(deps));
  await app.register(accountRoutes(deps));
  await app.register(recoveryRoutes(deps));
  await app.register(mfaRoutes(deps));
  await app.register(passkeyRoutes(deps));
  if (options.demoResources) await app.register(resourceRoutes(deps));
  await app.register(discoveryRoutes(deps));
  await app.register(oauthRoutes(deps));
  await app.register(oauthMetadataRoutes(deps));
  await app.register(revocationRoutes(deps));
  if (options.metricsEndpoint === true && deps.metrics.enabled) await app.register(metricsRoutes(deps));
  if (deps.devMailbox !== undefined) await app.register(devMailRoutes(deps.devMailbox));
  const documentContext = { version: packageVersion(), passwordPolicy: deps.config.password };
  await app.register(openApiRoutes(() => buildOpenApiDocument(collector.routes, documentContext)));
}
