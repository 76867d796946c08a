/**
 * Scaled out: three `tessera serve` processes on loopback sharing one PostgreSQL schema and one Redis
 * (README.md, "Running scaled out"). A session started on one instance is refreshed on another and revoked on a
 * third; strict mode must carry the revocation to the first within a measured bound; concurrent
 * refreshes spread over the instances must never fork a family; rate limits must hold cluster-wide.
 * Skipped (with a printed line) when PostgreSQL or Redis is unreachable, unless TEST_REQUIRE_SERVICES=1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeIdleConnections, createIpAllocator } from '../helpers/http-client.js';
import { servicesAvailable } from '../helpers/services.js';
import {
  createCluster,
  expectProblem,
  getSecure,
  loginSession,
  pollUntil,
  postLogin,
  postLogout,
  postRefresh,
  register,
  sessionIdOf,
  summarise,
  tokens,
  type Cluster,
  type Node,
} from '../helpers/tessera-cluster.js';

const available = await servicesAvailable('test/e2e/multi-instance.test.ts', { postgres: true, redis: true });

/** The bound the issue sets for a global logout on one instance to reach another (strict mode). */
const PROPAGATION_BOUND_MS = 100;
const PROPAGATION_ROUNDS = 25;
const CONCURRENT_REFRESHES = 100;

/** One current key in the database, the same JWKS everywhere, and each one's tokens accepted by all. */
async function expectOneKeySet(
  cluster: Cluster,
  nodes: readonly Node[],
  nextIp: () => string,
): Promise<void> {
  const current = await cluster.schema.query<{ kid: string }>(
    "SELECT kid FROM signing_keys WHERE state = 'current'",
  );
  expect(current, 'signing keys in state current').toHaveLength(1);
  const jwks = await Promise.all(nodes.map((node) => call(node.url, 'GET', '/.well-known/jwks.json')));
  for (const reply of jwks) expect(reply.status).toBe(200);
  for (const reply of jwks.slice(1)) expect(reply.body).toEqual(jwks[0]!.body);
  for (const [i, issuer] of nodes.entries()) {
    const pair = await register(
      issuer.url,
      `keys${i}.${Math.random().toString(36).slice(2)}@multi.example`,
      nextIp(),
    );
    for (const node of nodes) {
      const reply = await getSecure(node.url, pair.access_token);
      expect(reply.status, `token from ${issuer.name} on ${node.name}: ${reply.text}`).toBe(200);
    }
  }
}

describe.skipIf(!available)('three instances sharing PostgreSQL and Redis', () => {
  let cluster: Cluster;
  let a: Node;
  let b: Node;
  let c: Node;
  const nextIp = createIpAllocator();
  let accounts = 0;
  const newEmail = () => `user${++accounts}@multi.example`;

  beforeAll(async () => {
    cluster = await createCluster('tessera_e2e_multi', {
      TESSERA_STRICT_MODE: 'true',
      TESSERA_RATE_LIMIT_LOGIN_IP: '5/60s',
      // Each test signs up from its own addresses; registration limits are not what is tested here.
      TESSERA_RATE_LIMIT_REGISTER_IP: '1000/1h',
    });
    // The first one migrates and creates the signing key; the other two join it (the race of a
    // simultaneous first start has a test of its own below).
    a = await cluster.start('A');
    [b, c] = await Promise.all([cluster.start('B'), cluster.start('C')]);
  }, 60_000);

  afterEach(() => cluster?.assertAlive());

  afterAll(async () => {
    await cluster?.close();
    closeIdleConnections();
  });

  it('the three instances publish the same keys and accept one another’s tokens', async () => {
    await expectOneKeySet(cluster, [a, b, c], nextIp);
  });

  it('three instances started at once on an empty database agree on one signing key', async () => {
    // A rolling deploy onto a fresh database: migrations and the first key must not race.
    const fresh = await createCluster('tessera_e2e_first_start');
    try {
      const nodes = await Promise.all([fresh.start('X'), fresh.start('Y'), fresh.start('Z')]);
      await expectOneKeySet(fresh, nodes, nextIp);
      fresh.assertAlive();
    } finally {
      await fresh.close();
    }
  }, 30_000);

  it(`login on A, refresh on B, global logout on C: A rejects the access token within ${PROPAGATION_BOUND_MS} ms`, async () => {
    const samples: number[] = [];
    for (let round = 0; round < PROPAGATION_ROUNDS; round += 1) {
      const email = newEmail();
      await register(c.url, email, nextIp());
      const login = tokens(await postLogin(a.url, email, nextIp()));
      expect((await getSecure(a.url, login.access_token)).status).toBe(200);

      const refreshed = tokens(await postRefresh(b.url, login.refresh_token, nextIp()));
      expect(refreshed.refresh_token).not.toBe(login.refresh_token);
      expect((await getSecure(a.url, refreshed.access_token)).status).toBe(200);

      expect((await postLogout(c.url, refreshed.access_token, 'global')).status).toBe(204);
      // Polled every ~2 ms from the moment C answered, over a kept-alive connection.
      const { result, elapsedMs } = await pollUntil(
        () => getSecure(a.url, login.access_token),
        (reply) => reply.status !== 200,
        { intervalMs: 2, timeoutMs: 2_000, maxAttempts: 1_000 },
      );
      expectProblem(result, 401, 'session_revoked');
      samples.push(elapsedMs);

      // Everything else about the session is gone too, on every instance.
      expectProblem(await getSecure(a.url, refreshed.access_token), 401, 'session_revoked');
      expectProblem(await getSecure(b.url, login.access_token), 401, 'session_revoked');
      expectProblem(await postRefresh(a.url, refreshed.refresh_token, nextIp()), 401, 'session_revoked');
    }
    const stats = summarise(samples);
    console.log(`revocation propagation C → A (strict mode, ${stats.n} rounds): ${JSON.stringify(stats)} ms`);
    expect(stats.max).toBeLessThan(PROPAGATION_BOUND_MS);
  }, 45_000);

  it(`${CONCURRENT_REFRESHES} concurrent refreshes of one token over the three: one successor, no fork, the family lives on`, async () => {
    const ip = nextIp();
    const pair = await register(a.url, newEmail(), ip);
    const sessionId = sessionIdOf(pair.access_token);
    const nodes = [a, b, c];

    const replies = await Promise.all(
      Array.from({ length: CONCURRENT_REFRESHES }, (_, i) =>
        postRefresh(nodes[i % nodes.length]!.url, pair.refresh_token, ip),
      ),
    );
    const statuses = replies.map((reply) => reply.status);
    expect(statuses, replies.find((reply) => reply.status !== 200)?.text).toEqual(replies.map(() => 200));
    const successors = new Set(replies.map((reply) => tokens(reply).refresh_token));
    expect(successors.size).toBe(1);
    const [successor] = [...successors] as [string];
    expect(successor).not.toBe(pair.refresh_token);

    // In the database: the original and exactly one child.
    const rows = await cluster.schema.query<{ id: string; parent_id: string | null }>(
      'SELECT id, parent_id FROM refresh_tokens WHERE session_id = $1',
      [sessionId],
    );
    expect(rows).toHaveLength(2);
    expect(rows.filter((row) => row.parent_id !== null)).toHaveLength(1);

    // The family keeps working: the successor rotates once more, on any instance.
    const next = tokens(await postRefresh(c.url, successor, ip));
    expect(next.refresh_token).not.toBe(successor);
    expect((await getSecure(b.url, next.access_token)).status).toBe(200);
    const session = await cluster.schema.query<{ revoked_at: string | null }>(
      'SELECT revoked_at FROM sessions WHERE id = $1',
      [sessionId],
    );
    expect(session).toEqual([{ revoked_at: null }]);
  }, 30_000);

  it('session mode: a session token from A works on B and C; a logout on C ends it on all three at once', async () => {
    const email = newEmail();
    await register(a.url, email, nextIp());
    const session = await loginSession(a.url, email, nextIp());
    const other = await loginSession(b.url, email, nextIp());
    // Used on every instance first, so each may have it cached.
    for (const node of [a, b, c]) expect((await getSecure(node.url, session)).status).toBe(200);

    expect((await postLogout(c.url, session, 'local')).status).toBe(204);
    for (const node of [a, b, c]) expectProblem(await getSecure(node.url, session), 401, 'session_revoked');
    // A local logout leaves the user's other session alone.
    for (const node of [a, b, c]) expect((await getSecure(node.url, other)).status).toBe(200);

    expect((await postLogout(a.url, other, 'global')).status).toBe(204);
    for (const node of [a, b, c]) expectProblem(await getSecure(node.url, other), 401, 'session_revoked');
  });

  it('the login rate limit holds across the instances: the 6th login from one address → 429', async () => {
    const email = newEmail();
    await register(a.url, email, nextIp());
    const ip = nextIp();
    const nodes = [a, b, c, a, b, c];
    const statuses: number[] = [];
    for (const node of nodes.slice(0, 5)) statuses.push((await postLogin(node.url, email, ip)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    const sixth = await postLogin(nodes[5]!.url, email, ip);
    expectProblem(sixth, 429, 'rate_limited');
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    // Still limited on the others; another address is not.
    expectProblem(await postLogin(a.url, email, ip), 429, 'rate_limited');
    expect((await postLogin(b.url, email, nextIp())).status).toBe(200);
  });
});
