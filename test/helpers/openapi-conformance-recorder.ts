/**
 * Runs every response the HTTP and e2e suites receive through the OpenAPI conformance checker. A
 * violation throws at the call that received it (so the test that caused it fails there) and is also
 * recorded, so a test that swallows errors still fails: the setup file (test/setup/openapi-conformance.ts)
 * fails the test in afterEach when anything was recorded.
 */
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createConformanceChecker, type Exchange } from './openapi-conformance.js';

type Checker = (exchange: Exchange) => string[];

const recorded: string[] = [];

/** Every violation recorded since the last call, and forgets them. */
export function takeViolations(): string[] {
  return recorded.splice(0);
}

export class OpenApiDriftError extends Error {
  constructor(readonly violations: string[]) {
    super(`The response does not match /openapi.json:\n  ${violations.join('\n  ')}`);
    this.name = 'OpenApiDriftError';
  }
}

/** Checks one exchange; throws (and records) on any violation. */
export function assertConforms(checker: Checker, exchange: Exchange): void {
  const violations = checker(exchange);
  if (violations.length === 0) return;
  recorded.push(...violations);
  throw new OpenApiDriftError(violations);
}

const checked = new WeakSet<FastifyInstance>();

/**
 * Makes `app.inject(options)` check every response against the app's own /openapi.json (or the given
 * document, for a test that proves a drift is caught). Call once, after `ready()`.
 */
export function checkAppResponses(app: FastifyInstance, document?: Record<string, unknown>): FastifyInstance {
  if (checked.has(app)) return app;
  checked.add(app);
  const inject = app.inject.bind(app) as (options: InjectOptions | string) => Promise<LightMyRequestResponse>;
  let checker: Promise<Checker> | undefined;
  const checkerOf = () =>
    (checker ??= (async () => {
      if (document !== undefined) return createConformanceChecker(document);
      const answer = await inject({ method: 'GET', url: '/openapi.json' });
      return createConformanceChecker(answer.json<Record<string, unknown>>());
    })());
  const checkedInject = async (options: InjectOptions | string): Promise<LightMyRequestResponse> => {
    const response = await inject(options);
    const request = typeof options === 'string' ? { method: 'GET', url: options } : options;
    assertConforms(await checkerOf(), {
      method: String(request.method ?? 'GET'),
      url: typeof request.url === 'string' ? request.url : String(request.path ?? '/'),
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
    });
    return response;
  };
  // Only the promise form is wrapped; no test here uses the chain or callback forms.
  (app as unknown as { inject: unknown }).inject = (options?: InjectOptions | string, callback?: unknown) =>
    options === undefined || callback !== undefined
      ? (inject as (...args: unknown[]) => unknown)(options, callback)
      : checkedInject(options);
  return app;
}

const remoteCheckers = new Map<string, Promise<Checker>>();

/** The checker of the server at `origin`, built once from its GET /openapi.json. */
export function checkerOfServer(origin: string): Promise<Checker> {
  let checker = remoteCheckers.get(origin);
  if (checker === undefined) {
    checker = fetch(`${origin}/openapi.json`).then(async (response) => {
      if (response.status !== 200) throw new Error(`${origin}/openapi.json answered ${response.status}`);
      return createConformanceChecker((await response.json()) as Record<string, unknown>);
    });
    checker.catch(() => remoteCheckers.delete(origin));
    remoteCheckers.set(origin, checker);
  }
  return checker;
}

/** Checks one answer of the server at `origin` against its /openapi.json; throws (and records) a drift. */
export async function assertServerConforms(origin: string, exchange: Exchange): Promise<void> {
  assertConforms(await checkerOfServer(origin), exchange);
}

/**
 * A fetch that checks every answer from a Tessera server against its /openapi.json, for the e2e
 * tests that drive a listening server (and for the SDK's `fetch` option).
 */
export function createCheckedFetch(base: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const headers: Exchange['headers'] = Object.fromEntries(response.headers.entries());
    const cookies = response.headers.getSetCookie();
    headers['set-cookie'] = cookies.length > 0 ? cookies : undefined;
    await assertServerConforms(url.origin, {
      method,
      url: `${url.pathname}${url.search}`,
      status: response.status,
      headers,
      body: await response.clone().text(),
    });
    return response;
  };
}
