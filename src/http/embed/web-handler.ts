import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Deps } from '../../flows/deps.js';
import type { Principal } from '../../flows/authenticate/principal.js';
import { answerFrameworkError, installErrorHandlers } from '../error-handler.js';
import { mountTessera } from './mount-tessera.js';
import { toInjectOptions, toWebResponse, type WebRequestContext } from './web-bridge.js';

export type WebHandler = (request: Request, context?: WebRequestContext) => Promise<Response>;

/** Either the verified caller, or the refusal to send back as it is (401, 403, 503). */
export type WebAuthentication =
  { principal: Principal; response?: undefined } | { principal?: undefined; response: Response };

/** Tessera for Web-standard frameworks (Hono, Next.js route handlers, Express through nodeHandler). */
export interface TesseraWeb {
  /** Answers every request under the prefix (/auth/*, /oauth/*, /.well-known/*, …). */
  handler: WebHandler;
  /**
   * Verifies the caller of one of the host's own routes as the Fastify plugin's requireAuth and
   * requireRoles do (token or session, header or cookie, CSRF for cookie-authenticated state changes).
   * Reads only the headers: the body is left for the host.
   */
  authenticate(
    request: Request,
    options?: WebRequestContext & { roles?: readonly string[] },
  ): Promise<WebAuthentication>;
  /** Closes the stores. */
  close(): Promise<void>;
}

/** The header that routes an authenticate() call to the guard route; its value is a per-instance secret. */
const GUARD_HEADER = 'x-tessera-guard';
const ROLES_HEADER = 'x-tessera-guard-roles';
const BODY_HEADERS = ['content-length', 'transfer-encoding', 'content-type', 'content-encoding'];
const GUARDED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Tessera mounted on a private Fastify instance (the standalone server's options: strict schemas,
 * body limit, problem answers) and reached through inject(), the light-my-request bridge: a Request
 * becomes inject options and the answer a Response. The instance trusts its first hop, the bridge;
 * further hops only with TESSERA_TRUST_PROXY. authenticate() injects the original method and path
 * into a guard route that only a header carrying this instance's random secret can reach.
 */
export async function createWebHandler(
  deps: Deps,
  options: { prefix: string; close: () => Promise<void> },
): Promise<TesseraWeb> {
  const { config } = deps;
  const secret = Buffer.from(deps.random.bytes(24)).toString('base64url');
  const app = Fastify({
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    logController: new LogController({
      disableRequestLogging: config.logLevel !== 'debug' && config.logLevel !== 'trace',
    }),
    bodyLimit: config.bodyLimitBytes,
    trustProxy: (_address: string, hop: number) => hop === 0 || config.trustProxy,
    frameworkErrors: answerFrameworkError,
  });
  // Paths outside the prefix get the same problem answers (under '' Tessera's own context has them all).
  if (options.prefix !== '') installErrorHandlers(app, deps.logger);
  await mountTessera(app, deps, options.prefix);
  registerGuardRoute(app, secret);
  await app.ready();

  const handler: WebHandler = async (request, context = {}) => {
    const injected = toInjectOptions(request, context, config.trustProxy);
    delete (injected.headers as Record<string, string>)[GUARD_HEADER];
    return toWebResponse(await app.inject(injected));
  };
  return {
    handler,
    async authenticate(request, { roles = [], ...context } = {}) {
      const guardHeaders = { [GUARD_HEADER]: secret, [ROLES_HEADER]: encodeRoles(roles) };
      // The headers only: without the body, its framing headers would announce bytes that never come.
      const headers = new Headers(request.headers);
      for (const name of BODY_HEADERS) headers.delete(name);
      // Only whether the method changes state matters to the checks (CSRF); HEAD, OPTIONS and the rest
      // are verified as a GET, whose answer has a body to read.
      const method = request.method.toUpperCase();
      const asked = GUARDED_METHODS.includes(method as (typeof GUARDED_METHODS)[number]) ? method : 'GET';
      const bodiless = new Request(request.url, { method: asked, headers });
      const answer = await app.inject(toInjectOptions(bodiless, context, config.trustProxy, guardHeaders));
      if (answer.statusCode === 200) return { principal: answer.json<Principal>() };
      return { response: toWebResponse(answer) };
    },
    async close() {
      await app.close();
      await options.close();
    },
  };
}

/** Any path, any method, but only with the secret header (a route constraint, so others never match). */
function registerGuardRoute(app: FastifyInstance, secret: string): void {
  app.addConstraintStrategy({
    name: 'tesseraGuard',
    storage() {
      const handlers = new Map<string, unknown>();
      return {
        get: (value: string) => (handlers.get(value) ?? null) as never,
        set: (value: string, store: unknown) => void handlers.set(value, store),
      };
    },
    deriveConstraint: (request) => request.headers[GUARD_HEADER] as string | undefined,
    mustMatchWhenDerived: true,
  });
  app.route({
    method: [...GUARDED_METHODS],
    url: '*',
    constraints: { tesseraGuard: secret },
    handler: async (request, reply) => {
      const roles = decodeRoles(request.headers[ROLES_HEADER]);
      const guard = roles.length === 0 ? app.tessera.requireAuth : app.tessera.requireRoles(...roles);
      await guard(request, reply);
      if (reply.sent) return reply;
      return reply.header('cache-control', 'no-store').send(request.principal);
    },
  });
}

function encodeRoles(roles: readonly string[]): string {
  if (roles.some((role) => typeof role !== 'string' || role === ''))
    throw new TypeError('roles must be non-empty strings.');
  return roles.map(encodeURIComponent).join(',');
}

function decodeRoles(header: string | string[] | undefined): string[] {
  return typeof header === 'string' && header !== '' ? header.split(',').map(decodeURIComponent) : [];
}
