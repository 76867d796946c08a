/**
 * Faults in a scaled-out deployment: PostgreSQL or Redis going away under running `tessera serve`
 * processes, and an instance killed mid-storm. The real services are never stopped: each instance
 * reaches them through its own TCP proxy (test/helpers/tcp-proxy.ts), and a test cuts that proxy.
 * Skipped (with a printed line) when PostgreSQL or Redis is unreachable, unless TEST_REQUIRE_SERVICES=1.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, closeIdleConnections, createIpAllocator, type Reply } from '../helpers/http-client.js';
import { servicesAvailable } from '../helpers/services.js';
import {
  createCluster,
  expectProblem,
  expectUnavailable,
  getSecure,
  loginSession,
  pollUntil,
  postLogin,
  postLogout,
  postRefresh,
  register,
  sessionIdOf,
  sleep,
  tokens,
  type Cluster,
  type Node,
} from '../helpers/tessera-cluster.js';

const available = await servicesAvailable('test/e2e/faults.test.ts', { postgres: true, redis: true });

/** Limits are not under test here; they must not get in the way of hundreds of requests from loopback. */
const GENEROUS_LIMITS = {
  TESSERA_RATE_LIMIT_LOGIN_IP: '100000/60s',
  TESSERA_RATE_LIMIT_LOGIN_ACCOUNT: '100000/60s',
  TESSERA_RATE_LIMIT_REGISTER_IP: '100000/60s',
  TESSERA_RATE_LIMIT_REFRESH_IP: '100000/60s',
};
/** How long an instance may take to notice a service is back (reconnect backoff is capped at 2 s). */
const RECOVERY = { intervalMs: 50, timeoutMs: 15_000, maxAttempts: 300 };

const isOk = (reply: Reply) => reply.status === 200;

/** A request that may fail at the socket (instance killed): its reply, or 0. */
async function statusOrNetworkError(request: Promise<Reply>): Promise<Reply | 0> {
  try {
    return await request;
  } catch {
    return 0;
  }
}

describe.skipIf(!available)('faults: PostgreSQL and Redis away, an instance killed', () => {
  let cluster: Cluster;
  /** Non-strict: access tokens are a signature check. */
  let plain: Node;
  /** Strict, TESSERA_REDIS_FAILURE_MODE unset (closed). */
  let closed: Node;
  /** Strict, TESSERA_REDIS_FAILURE_MODE=open. */
  let open: Node;
  /** Strict; keeps both services throughout, revokes sessions while the others are cut off. */
  let peer: Node;
  const nextIp = createIpAllocator();
  let accounts = 0;
  const newEmail = () => `user${++accounts}@faults.example`;

  beforeAll(async () => {
    cluster = await createCluster('tessera_e2e_faults', GENEROUS_LIMITS);
    // The first one creates the schema and the keys; the others join it.
    plain = await cluster.start('plain');
    [closed, open, peer] = await Promise.all([
      cluster.start('closed', { TESSERA_STRICT_MODE: 'true' }),
      cluster.start('open', { TESSERA_STRICT_MODE: 'true', TESSERA_REDIS_FAILURE_MODE: 'open' }),
      cluster.start('peer', { TESSERA_STRICT_MODE: 'true' }),
    ]);
  }, 60_000);

  // A server process that died under a fault is a failure of the test that caused it.
  afterEach(() => cluster?.assertAlive());

  afterAll(async () => {
    await cluster?.close();
    closeIdleConnections();
  });

  it('PostgreSQL down: login and refresh → 503 + Retry-After, JWT verification keeps serving, recovery without restart', async () => {
    const email = newEmail();
    const pair = await register(plain.url, email, nextIp());
    expect((await call(plain.url, 'GET', '/readyz')).status).toBe(200);

    await plain.pgProxy.cut();
    try {
      expectUnavailable(await postLogin(plain.url, email, nextIp()));
      expectUnavailable(await postRefresh(plain.url, pair.refresh_token, nextIp()));
      expectUnavailable(
        await call(plain.url, 'POST', '/auth/register', {
          body: { email: newEmail(), password: 'correct horse battery staple' },
          ip: nextIp(),
        }),
      );
      expect((await call(plain.url, 'GET', '/readyz')).status).toBe(503);
      expect((await call(plain.url, 'GET', '/healthz')).status).toBe(200);

      // 100 % of access-token checks succeed: 10 waves of 20 concurrent requests.
      const statuses: number[] = [];
      for (let wave = 0; wave < 10; wave += 1) {
        const replies = await Promise.all(
          Array.from({ length: 20 }, () => getSecure(plain.url, pair.access_token, nextIp())),
        );
        statuses.push(...replies.map((reply) => reply.status));
      }
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      expect(statuses).toHaveLength(200);

      // Still 503 (not 500) a while later, once the pool has given up on its old connections.
      expectUnavailable(await postLogin(plain.url, email, nextIp()));
    } finally {
      await plain.pgProxy.restore();
    }

    // Back without a restart: the same process logs in, refreshes and is ready again.
    const login = await pollUntil(() => postLogin(plain.url, email, nextIp()), isOk, RECOVERY);
    expect(login.result.status, login.result.text).toBe(200);
    expect((await postRefresh(plain.url, pair.refresh_token, nextIp())).status).toBe(200);
    expect((await call(plain.url, 'GET', '/readyz')).status).toBe(200);
  }, 40_000);

  it('PostgreSQL cut while logins and refreshes are in flight: every answer is a success or a 503, never a 500', async () => {
    // An instance of its own: if this goes wrong, the other tests keep theirs.
    const busy = await cluster.start('busy');
    const email = newEmail();
    await register(busy.url, email, nextIp());
    const statuses: number[] = [];
    let stop = false;
    const failures: string[] = [];
    const record = async (request: Promise<Reply>): Promise<Reply | undefined> => {
      try {
        const reply = await request;
        statuses.push(reply.status);
        if (reply.status !== 200 && reply.status !== 503) failures.push(`${reply.status} ${reply.text}`);
        return reply;
      } catch (error) {
        failures.push(`no answer: ${(error as Error).message}`);
        return undefined;
      }
    };
    const traffic = async () => {
      for (let i = 0; i < 200 && !stop; i += 1) {
        const login = await record(postLogin(busy.url, email, nextIp()));
        if (login?.status === 200) await record(postRefresh(busy.url, tokens(login).refresh_token, nextIp()));
      }
    };
    const running = Promise.all([traffic(), traffic(), traffic()]);
    await sleep(300);
    await busy.pgProxy.cut();
    await sleep(500);
    await busy.pgProxy.restore();
    await sleep(300);
    stop = true;
    await running;
    // Counted by kind (ports stripped), so a crash reads as a few lines, not hundreds.
    const kinds: Record<string, number> = {};
    for (const failure of failures) {
      const kind = failure.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>').slice(0, 200);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    expect(kinds, 'answers other than 200 and 503').toEqual({});
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
    const after = await pollUntil(() => postLogin(busy.url, email, nextIp()), isOk, RECOVERY);
    expect(after.result.status).toBe(200);
  }, 30_000);

  it('Redis down, strict mode, failure mode closed (default): 503 while away, recovery catches up on missed revocations', async () => {
    const live = await register(peer.url, newEmail(), nextIp());
    const doomed = await register(peer.url, newEmail(), nextIp());
    expect((await getSecure(closed.url, live.access_token)).status).toBe(200);
    expect((await getSecure(closed.url, doomed.access_token)).status).toBe(200);

    await closed.redisProxy.cut();
    try {
      // The fan-out is down: nothing can vouch that a token was not revoked elsewhere meanwhile.
      const first = await pollUntil(
        () => getSecure(closed.url, live.access_token),
        (r) => !isOk(r),
        {
          intervalMs: 5,
          timeoutMs: 2_000,
          maxAttempts: 400,
        },
      );
      expectUnavailable(first.result);
      for (let i = 0; i < 10; i += 1) expectUnavailable(await getSecure(closed.url, live.access_token));

      // Meanwhile another instance revokes a session; `closed` cannot hear it.
      expect((await postLogout(peer.url, doomed.access_token, 'global')).status).toBe(204);
      expectUnavailable(await getSecure(closed.url, doomed.access_token));
    } finally {
      await closed.redisProxy.restore();
    }

    const back = await pollUntil(() => getSecure(closed.url, live.access_token), isOk, RECOVERY);
    expect(back.result.status, back.result.text).toBe(200);
    // The revocation announced while it was away was caught up on.
    expectProblem(await getSecure(closed.url, doomed.access_token), 401, 'session_revoked');
  }, 30_000);

  it('Redis down, strict mode, failure mode open: falls back to reading the store, then recovers', async () => {
    const live = await register(peer.url, newEmail(), nextIp());
    const doomed = await register(peer.url, newEmail(), nextIp());
    expect((await getSecure(open.url, doomed.access_token)).status).toBe(200);

    await open.redisProxy.cut();
    try {
      // Give the instance time to notice; every answer meanwhile must be a 200 (never a 503).
      for (let i = 0; i < 20; i += 1) {
        const reply = await getSecure(open.url, live.access_token);
        expect(reply.status, reply.text).toBe(200);
        await sleep(10);
      }
      // A revocation it cannot hear about is still seen: the session is read from PostgreSQL.
      expect((await postLogout(peer.url, doomed.access_token, 'global')).status).toBe(204);
      expectProblem(await getSecure(open.url, doomed.access_token), 401, 'session_revoked');
      expect((await getSecure(open.url, live.access_token)).status).toBe(200);
    } finally {
      await open.redisProxy.restore();
    }

    // Once Redis is back (and the list is in sync again) the answers stay right.
    await sleep(100);
    const back = await pollUntil(() => getSecure(open.url, live.access_token), isOk, RECOVERY);
    expect(back.result.status).toBe(200);
    expectProblem(await getSecure(open.url, doomed.access_token), 401, 'session_revoked');
    // And a revocation on another instance reaches it through Redis again.
    expect((await postLogout(peer.url, live.access_token, 'global')).status).toBe(204);
    const revoked = await pollUntil(
      () => getSecure(open.url, live.access_token),
      (r) => !isOk(r),
      {
        intervalMs: 5,
        timeoutMs: 2_000,
        maxAttempts: 400,
      },
    );
    expectProblem(revoked.result, 401, 'session_revoked');
  }, 30_000);

  it('session mode: a global logout on an instance cut off from Redis is not undone by the shared session cache', async () => {
    const email = newEmail();
    const jwt = await register(plain.url, email, nextIp());
    const session = await loginSession(peer.url, email, nextIp());
    // Read through the Redis session cache on both sides of the coming partition.
    expect((await getSecure(peer.url, session)).status).toBe(200);
    expect((await getSecure(plain.url, session)).status).toBe(200);

    // "Log out everywhere" from the JWT client, through the one instance that cannot reach Redis
    // (non-strict: its access token needs no Redis). Either it is refused before it changes anything
    // (503) or it takes effect everywhere.
    await plain.redisProxy.cut();
    let first: Reply;
    try {
      first = await postLogout(plain.url, jwt.access_token, 'global');
      expect([204, 503], first.text).toContain(first.status);
      if (first.status === 204) expectProblem(await getSecure(peer.url, session), 401, 'session_revoked');
    } finally {
      await plain.redisProxy.restore();
    }
    if (first.status === 503) {
      // The client retries once Redis is back, as Retry-After tells it to.
      const retry = await pollUntil(
        () => postLogout(plain.url, jwt.access_token, 'global'),
        (reply) => reply.status !== 503,
        RECOVERY,
      );
      expect([204, 401], retry.result.text).toContain(retry.result.status);
    }
    for (const node of [peer, plain, open]) {
      expectProblem(await getSecure(node.url, session), 401, 'session_revoked');
    }
  }, 30_000);

  it('an instance SIGKILLed during a refresh storm: no family lost or forked', async () => {
    const storm = await Promise.all([
      cluster.start('storm-1'),
      cluster.start('storm-2'),
      cluster.start('storm-3'),
    ]);
    const [s1, s2, s3] = storm as [Node, Node, Node];
    const families = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const pair = await register(s1.url, newEmail(), nextIp());
        return { sessionId: sessionIdOf(pair.access_token), token: pair.refresh_token, rotations: 0 };
      }),
    );

    let stop = false;
    const problems: string[] = [];
    const drive = async (family: (typeof families)[number]) => {
      // Each step: the current token to all three instances at once (two tabs and a retry, on
      // different instances). Every 200 must carry the same successor.
      for (let step = 0; step < 500 && !stop; step += 1) {
        const replies = await Promise.all(
          [s1, s2, s3].map((node) => statusOrNetworkError(postRefresh(node.url, family.token, nextIp()))),
        );
        const answered = replies.filter((reply): reply is Reply => reply !== 0);
        for (const reply of answered) {
          if (reply.status !== 200) problems.push(`${reply.status} ${reply.text}`);
        }
        const successors = new Set(answered.filter(isOk).map((reply) => tokens(reply).refresh_token));
        if (successors.size > 1) problems.push(`fork: ${successors.size} successors in one step`);
        const [successor] = [...successors];
        if (successor !== undefined) {
          family.token = successor;
          family.rotations += 1;
        }
      }
    };
    const running = Promise.all(families.map(drive));
    await sleep(500);
    await s2.kill('SIGKILL');
    await sleep(700);
    stop = true;
    await running;

    expect(problems).toEqual([]);
    for (const family of families) expect(family.rotations).toBeGreaterThan(0);

    // In PostgreSQL: no token has two children, and each family is one chain ending at the client's token.
    const forks = await cluster.schema.query(
      'SELECT parent_id, count(*) AS children FROM refresh_tokens WHERE parent_id IS NOT NULL GROUP BY parent_id HAVING count(*) > 1',
    );
    expect(forks).toEqual([]);
    const leaves = await cluster.schema.query<{ session_id: string; id: string }>(
      `SELECT t.session_id, t.id FROM refresh_tokens t
        WHERE t.session_id = ANY($1) AND NOT EXISTS (SELECT 1 FROM refresh_tokens c WHERE c.parent_id = t.id)`,
      [families.map((family) => family.sessionId)],
    );
    expect(leaves).toHaveLength(families.length);
    const leafOf = new Map(leaves.map((leaf) => [leaf.session_id, leaf.id]));
    for (const family of families) expect(leafOf.get(family.sessionId)).toBe(family.token.split('.')[0]);
    const revoked = await cluster.schema.query(
      'SELECT id FROM sessions WHERE id = ANY($1) AND revoked_at IS NOT NULL',
      [families.map((family) => family.sessionId)],
    );
    expect(revoked).toEqual([]);

    // Every family's newest token still refreshes, on the survivors.
    for (const [i, family] of families.entries()) {
      const reply = await postRefresh((i % 2 === 0 ? s1 : s3).url, family.token, nextIp());
      expect(reply.status, reply.text).toBe(200);
    }
  }, 45_000);
});
