/**
 * Several `tessera serve` processes sharing one PostgreSQL schema and one Redis, each reaching the
 * services through its own TCP proxy (so a test can take a service away from one instance without
 * touching the real one), plus the HTTP shortcuts the multi-instance and fault tests share.
 */
import { expect } from 'vitest';
import { call, type Reply } from './http-client.js';
import { createTestSchema, postgresUrl, redisUrl, withHostPort, withSearchPath } from './services.js';
import type { TestSchema } from './services.js';
import { spawnInstance, type Instance } from './spawn-instance.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';

export const PASSWORD = 'correct horse battery staple';
export const ISSUER = 'http://tessera.test';

export interface TokenBody {
  user: { id: string; email: string; roles: string[] };
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

export interface Node {
  readonly name: string;
  readonly instance: Instance;
  readonly url: string;
  /** Between this instance and PostgreSQL. */
  readonly pgProxy: TcpProxy;
  /** Between this instance and Redis. */
  readonly redisProxy: TcpProxy;
  /** Kills the process on purpose (so assertAlive does not count it as a crash). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface Cluster {
  readonly schema: TestSchema;
  /** This cluster's TESSERA_REDIS_PREFIX: its keys and channels are its own on the shared Redis. */
  readonly redisPrefix: string;
  /** Starts an instance with its own proxies; `env` adds or overrides TESSERA_* variables. */
  start(name: string, env?: Record<string, string>): Promise<Node>;
  /** Throws (with the output's tail) if an instance the test did not kill has exited: a crash. */
  assertAlive(): void;
  /** Stops every instance, closes the proxies, drops the schema. */
  close(): Promise<void>;
}

export async function createCluster(
  prefix: string,
  baseEnv: Record<string, string> = {},
  /** Another Redis than the shared one (a private redis-server the test may flush or restart). */
  options: { redisUrl?: string } = {},
): Promise<Cluster> {
  const schema = await createTestSchema(prefix);
  const redisPrefix = `${schema.name}:`;
  const nodes: Node[] = [];
  const proxies: TcpProxy[] = [];
  const pg = new URL(postgresUrl());
  const redisTarget = options.redisUrl ?? redisUrl();
  const redis = new URL(redisTarget);

  /** Killed on purpose, or dead and reported already. */
  const killed = new Set<Node>();

  const start = async (name: string, env: Record<string, string> = {}): Promise<Node> => {
    const pgProxy = await startTcpProxy({ targetHost: pg.hostname, targetPort: Number(pg.port || 5432) });
    proxies.push(pgProxy);
    const redisProxy = await startTcpProxy({
      targetHost: redis.hostname,
      targetPort: Number(redis.port || 6379),
    });
    proxies.push(redisProxy);
    const instance = await spawnInstance({
      name,
      env: {
        TESSERA_DATABASE_URL: withSearchPath(
          withHostPort(postgresUrl(), '127.0.0.1', pgProxy.port),
          schema.name,
        ),
        TESSERA_REDIS_URL: withHostPort(redisTarget, '127.0.0.1', redisProxy.port),
        TESSERA_ISSUER: ISSUER,
        TESSERA_REDIS_PREFIX: redisPrefix,
        ...baseEnv,
        ...env,
      },
    });
    const node: Node = {
      name,
      instance,
      url: instance.url,
      pgProxy,
      redisProxy,
      kill: async (signal) => {
        killed.add(node);
        await instance.kill(signal);
      },
    };
    nodes.push(node);
    return node;
  };

  return {
    schema,
    redisPrefix,
    start,
    assertAlive() {
      for (const node of nodes) {
        const status = node.instance.exitStatus();
        if (status === undefined || killed.has(node)) continue;
        killed.add(node); // reported once, not again after every later test
        throw new Error(
          `instance ${node.name} died (code ${status.code}, signal ${status.signal}); the end of its output:\n` +
            node.instance.output().slice(-4000),
        );
      }
    },
    async close() {
      await Promise.allSettled(nodes.map((node) => node.instance.stop()));
      await Promise.allSettled(proxies.map((proxy) => proxy.close()));
      await schema.drop();
    },
  };
}

// ---- HTTP shortcuts ----

export function tokens(reply: Reply): TokenBody {
  expect(reply.status, reply.text).toBeGreaterThanOrEqual(200);
  expect(reply.status, reply.text).toBeLessThan(300);
  expect(reply.body).toMatchObject({
    token_type: 'Bearer',
    access_token: expect.any(String),
    refresh_token: expect.any(String),
  });
  return reply.body as unknown as TokenBody;
}

/** An RFC 9457 problem with the given status and code. */
export function expectProblem(reply: Reply, status: number, code: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status, code });
}

/** 503 service_unavailable with a Retry-After of at least one second. */
export function expectUnavailable(reply: Reply): void {
  expectProblem(reply, 503, 'service_unavailable');
  expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

export const register = async (url: string, email: string, ip?: string): Promise<TokenBody> =>
  tokens(await call(url, 'POST', '/auth/register', { body: { email, password: PASSWORD }, ip }));

export const postLogin = (url: string, email: string, ip?: string): Promise<Reply> =>
  call(url, 'POST', '/auth/login', { body: { email, password: PASSWORD }, ip });

/** Session mode (`?mode=session`): the opaque session token, used as a Bearer credential. */
export async function loginSession(url: string, email: string, ip?: string): Promise<string> {
  const reply = await call(url, 'POST', '/auth/login?mode=session', {
    body: { email, password: PASSWORD },
    ip,
  });
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body).toMatchObject({ session_token: expect.any(String), token_type: 'Bearer' });
  expect(reply.body).not.toHaveProperty('refresh_token');
  return (reply.body as { session_token: string }).session_token;
}

export const postRefresh = (url: string, refreshToken: string, ip?: string): Promise<Reply> =>
  call(url, 'POST', '/auth/refresh', { body: { refresh_token: refreshToken }, ip });

/** GET /api/secure with a Bearer credential: a JWT access token or a session token. */
export const getSecure = (url: string, credential: string, ip?: string): Promise<Reply> =>
  call(url, 'GET', '/api/secure', { token: credential, ip });

export const postLogout = (
  url: string,
  credential: string,
  scope: 'local' | 'others' | 'global',
  ip?: string,
): Promise<Reply> => call(url, 'POST', '/auth/logout', { token: credential, body: { scope }, ip });

/** The `sid` claim of an access token (no verification: the server already did that). */
export function sessionIdOf(accessToken: string): string {
  const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sid?: unknown;
  };
  if (typeof payload.sid !== 'string') throw new TypeError('access token without sid');
  return payload.sid;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `attempt` until `done(result)` holds, at most `maxAttempts` times and `timeoutMs` long, pausing
 * `intervalMs` in between. Returns the last result and how long it took.
 */
export async function pollUntil<T>(
  attempt: () => Promise<T>,
  done: (result: T) => boolean,
  limits: { intervalMs: number; timeoutMs: number; maxAttempts: number },
): Promise<{ result: T; elapsedMs: number; attempts: number }> {
  const started = performance.now();
  let attempts = 0;
  for (;;) {
    const result = await attempt();
    attempts += 1;
    const elapsedMs = performance.now() - started;
    if (done(result) || attempts >= limits.maxAttempts || elapsedMs >= limits.timeoutMs) {
      return { result, elapsedMs, attempts };
    }
    await sleep(limits.intervalMs);
  }
}

/** p50/p99/max of a list of milliseconds, rounded to 0.1 ms. */
export function summarise(samples: readonly number[]): { n: number; p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { n: sorted.length, p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted.at(-1) ?? NaN) };
}
