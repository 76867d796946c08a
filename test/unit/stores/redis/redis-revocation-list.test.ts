import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FanOutRevocationList, RevocationList } from '../../../../src/stores/revocation-list.js';
import { createFixedClock, type Clock } from '../../../../src/platform/clock.js';
import { openRedis } from '../../../../src/stores/redis/create-redis.js';
import { createRedisRevocationList } from '../../../../src/stores/redis/redis-revocation-list.js';
import { StoreUnavailableError } from '../../../../src/errors.js';
import { redisUrl, servicesAvailable, withHostPort } from '../../../helpers/services.js';
import { startTcpProxy, type TcpProxy } from '../../../helpers/tcp-proxy.js';

const available = await servicesAvailable('redis revocation list', { redis: true });

const RETENTION_SECONDS = 60;
const REDIS_PORT = Number(new URL(redisUrl()).port || 6379);

/**
 * Each instance of Tessera is simulated by one list on its own two connections. Every test gets its
 * own channel (and so its own recent set), so parallel test files never hear each other.
 */
describe.skipIf(!available)('RedisRevocationList', () => {
  let channel: string;
  /** A direct connection of the test's own: cleans up, kills clients, publishes junk, reads the set. */
  let admin: Redis;
  const connections: Redis[] = [];
  const lists: RevocationList[] = [];
  const proxies: TcpProxy[] = [];

  const connect = async (url = redisUrl(), connectionName = 'tessera-test-revocations'): Promise<Redis> => {
    const connection = await openRedis(url, { maxRetryDelayMs: 50, connectionName });
    connections.push(connection);
    return connection;
  };

  /** An instance: its list over a publisher and a subscriber, optionally through a proxy it can lose. */
  type Heard = { sessionCount: number; lagMs: number };
  const instance = async (
    options: { clock?: Clock; proxy?: TcpProxy; onHeard?: (heard: Heard) => void } = {},
  ): Promise<RevocationList> => {
    const url = options.proxy ? withHostPort(redisUrl(), '127.0.0.1', options.proxy.port) : redisUrl();
    const list = await createRedisRevocationList({
      publisher: await connect(url),
      subscriber: await connect(url),
      channel,
      retentionSeconds: RETENTION_SECONDS,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onHeard ? { onHeard: options.onHeard } : {}),
    });
    lists.push(list);
    return list;
  };

  const proxy = async (): Promise<TcpProxy> => {
    const started = await startTcpProxy({ targetPort: REDIS_PORT });
    proxies.push(started);
    return started;
  };

  beforeAll(async () => {
    admin = await openRedis(redisUrl(), { connectionName: 'tessera-test-admin' });
  });

  afterAll(async () => {
    await admin?.quit();
  });

  beforeEach(() => {
    channel = `tessera:test-${randomUUID()}:revocations`;
  });

  afterEach(async () => {
    await Promise.all(lists.splice(0).map((list) => list.close()));
    await Promise.all(connections.splice(0).map((connection) => quietly(connection)));
    await Promise.all(proxies.splice(0).map((started) => started.close()));
    await admin.del(`${channel}:recent`);
  });

  it('is authoritative and healthy once started, and knows its own announcements at once', async () => {
    const a = await instance();
    expect(a.authoritative).toBe(true);
    expect(a.healthy()).toBe(true);
    expect(a.isRevoked('s-1')).toBe(false);
    const announcing = a.announce(['s-1', 's-2']);
    expect(a.isRevoked('s-1')).toBe(true);
    await announcing;
    expect(a.isRevoked('s-2')).toBe(true);
    await a.announce([]);
  });

  it('reaches another instance within 100 ms (50 announcements, polled every 1 ms)', async () => {
    const [a, b] = [await instance(), await instance()];
    const delays: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const id = `session-${i}`;
      const started = performance.now();
      await a.announce([id]);
      while (!b.isRevoked(id)) {
        if (performance.now() - started > 1000) throw new Error(`${id} never reached the other instance`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      delays.push(performance.now() - started);
    }
    delays.sort((x, y) => x - y);
    const [p50, max] = [delays[24]!, delays[49]!];
    console.log(
      `revocation propagation over 50 announcements: p50 ${p50.toFixed(2)} ms, max ${max.toFixed(2)} ms`,
    );
    expect(max).toBeLessThan(100);
  });

  it('an instance that starts late catches up from the recent set', async () => {
    const a = await instance();
    await a.announce(['early-1', 'early-2']);
    const late = await instance();
    expect(late.healthy()).toBe(true);
    expect(late.isRevoked('early-1')).toBe(true);
    expect(late.isRevoked('early-2')).toBe(true);
    expect(late.isRevoked('never')).toBe(false);
  });

  it('forgets a revocation after the retention window, in memory and in the recent set', async () => {
    const t0 = new Date('2026-01-15T10:00:00Z');
    const clock = createFixedClock(t0);
    const a = await instance({ clock });
    await a.announce(['old']);
    clock.advanceSeconds(RETENTION_SECONDS - 1);
    expect(a.isRevoked('old')).toBe(true);
    expect((await instance({ clock })).isRevoked('old')).toBe(true);
    clock.advanceSeconds(1);
    expect(a.isRevoked('old')).toBe(false);
    expect((await instance({ clock })).isRevoked('old')).toBe(false);
    await a.announce(['new']);
    expect(await admin.zrange(`${channel}:recent`, 0, -1)).toEqual(['new']);
  });

  it('is unhealthy while its connection is lost, and catches up on what it missed once back', async () => {
    const link = await proxy();
    const [a, b] = [await instance(), await instance({ proxy: link })];
    expect(b.healthy()).toBe(true);
    await link.cut();
    await waitFor(() => !b.healthy());
    await a.announce(['while-away']);
    expect(b.isRevoked('while-away')).toBe(false);
    await link.restore();
    await waitFor(() => b.healthy());
    expect(b.isRevoked('while-away')).toBe(true);
    await a.announce(['after']);
    await waitFor(() => b.isRevoked('after'));
  });

  it('turns unhealthy when the server kills its subscriber connection, and heals by itself', async () => {
    const name = `tessera-test-${randomUUID()}`;
    const [publisher, subscriber] = [await connect(), await connect(redisUrl(), name)];
    const b = await createRedisRevocationList({ publisher, subscriber, channel, retentionSeconds: 60 });
    lists.push(b);
    const clients = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')).split('\n');
    const id = /id=(\d+)/.exec(clients.find((line) => line.includes(`name=${name} `)) ?? '')?.[1];
    expect(id).toBeDefined();
    await admin.call('CLIENT', 'KILL', 'ID', id!);
    await waitFor(() => !b.healthy());
    await waitFor(() => b.healthy());
  });

  it('an announcement that cannot go out fails as unavailable, and is sent after the reconnect', async () => {
    const link = await proxy();
    const [a, b] = [await instance({ proxy: link }), await instance()];
    await link.cut();
    await waitFor(() => !a.healthy());
    const error = await a.announce(['queued']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(a.isRevoked('queued')).toBe(true);
    expect(b.isRevoked('queued')).toBe(false);
    await link.restore();
    await waitFor(() => a.healthy());
    await waitFor(() => b.isRevoked('queued'));
    expect((await instance()).isRevoked('queued')).toBe(true);
  });

  it('notices a silent cut (nothing answers, nothing closes) within its PONG deadline, and heals', async () => {
    const link = await proxy();
    const a = await instance({ proxy: link });
    const epoch = (a as FanOutRevocationList).syncEpoch();
    link.stall();
    const started = performance.now();
    try {
      // Default heartbeat 250 ms + PONG deadline 1000 ms; the socket timeout (3000 ms) comes later.
      await waitFor(() => !a.healthy(), 3000);
      expect(performance.now() - started).toBeLessThan(2500);
    } finally {
      link.resume();
    }
    await waitFor(() => a.healthy(), 5000);
    // Healthy again without a reconnect: nothing was lost, so no new sync epoch was needed.
    expect((a as FanOutRevocationList).syncEpoch()).toBeGreaterThanOrEqual(epoch);
  });

  it('does not blame Redis for its own process being busy: a blocked event loop is not a silent cut', async () => {
    const a = await instance();
    expect(a.healthy()).toBe(true);
    const until = performance.now() + 1500;
    while (performance.now() < until) {
      // Blocked, as a starved or SIGSTOPped process is: no heartbeat ran, so no PING is counted late.
    }
    expect(a.healthy()).toBe(true);
  });

  it('starts a new sync epoch after every reconnect, so the durable list re-reads the database', async () => {
    const link = await proxy();
    const a = (await instance({ proxy: link })) as FanOutRevocationList;
    const first = a.syncEpoch();
    await link.cut();
    await waitFor(() => !a.healthy());
    expect(a.syncEpoch()).toBe(first);
    await link.restore();
    await waitFor(() => a.healthy(), 5000);
    expect(a.syncEpoch()).toBe(first + 1);
  });

  it('re-syncs (a new epoch) when Redis turns out to be another server behind a connection that stayed up', async () => {
    const publisher = await connect();
    const list = (await createRedisRevocationList({
      publisher,
      subscriber: await connect(),
      channel,
      retentionSeconds: RETENTION_SECONDS,
    })) as FanOutRevocationList;
    lists.push(list);
    const first = list.syncEpoch();
    const info = publisher.info.bind(publisher);
    // As a proxy in front of a restarted Redis would show it: same socket, another run_id.
    const spy = vi
      .spyOn(publisher, 'info')
      .mockImplementation(async () =>
        (await info('server')).replace(/^run_id:\w+/m, 'run_id:0123456789abcdef'),
      );
    try {
      await waitFor(() => list.syncEpoch() === first + 1, 5000);
      expect(list.healthy()).toBe(true);
    } finally {
      spy.mockRestore();
    }
  });

  it('ignores messages on its channel that are not announcements', async () => {
    const [a, b] = [await instance(), await instance()];
    const malformed = [
      'not json',
      'null',
      '7',
      '{"ids":"s","at":1}',
      '{"ids":[1],"at":1}',
      '{"ids":["no-time"]}',
    ];
    for (const message of malformed) await admin.publish(channel, message);
    await b.announce(['real']);
    await waitFor(() => a.isRevoked('real'));
    expect(a.isRevoked('no-time')).toBe(false);
    expect(a.healthy()).toBe(true);
  });

  it('starts unhealthy when Redis is unreachable, and gets healthy once it answers', async () => {
    const link = await proxy();
    const url = withHostPort(redisUrl(), '127.0.0.1', link.port);
    const [publisher, subscriber] = [await connect(url), await connect(url)];
    await link.cut();
    await waitFor(() => subscriber.status !== 'ready' && publisher.status !== 'ready');
    const list = await createRedisRevocationList({ publisher, subscriber, channel, retentionSeconds: 60 });
    lists.push(list);
    expect(list.healthy()).toBe(false);
    await link.restore();
    await waitFor(() => list.healthy());
  });

  it('close() quits the subscriber, leaves the publisher to its owner, and reports unhealthy', async () => {
    const [publisher, subscriber] = [await connect(), await connect()];
    const list = await createRedisRevocationList({ publisher, subscriber, channel, retentionSeconds: 60 });
    await list.close();
    expect(list.healthy()).toBe(false);
    expect(subscriber.status).toBe('end');
    expect(publisher.status).toBe('ready');
  });

  it('reports each announcement heard from another instance with its lag; never its own', async () => {
    const t0 = new Date('2026-01-15T10:00:00Z');
    const clockA = createFixedClock(t0);
    // B's clock reads 2.5 s later: the lag B measures is its clock minus the announcer's.
    const clockB = createFixedClock(new Date(t0.getTime() + 2500));
    const heardByA: Heard[] = [];
    const heardByB: Heard[] = [];
    const a = await instance({ clock: clockA, onHeard: (heard) => heardByA.push(heard) });
    const b = await instance({ clock: clockB, onHeard: (heard) => heardByB.push(heard) });
    await a.announce(['s-1', 's-2']);
    await b.announce(['s-3']);
    await waitFor(() => heardByB.length === 1 && heardByA.length === 1, 10_000);
    expect(heardByB).toEqual([{ sessionCount: 2, lagMs: 2500 }]);
    expect(heardByA).toEqual([{ sessionCount: 1, lagMs: -2500 }]);
    // Both also heard their own message (a third announcement proves the channel drained): not reported.
    await a.announce(['s-4']);
    await waitFor(() => b.isRevoked('s-4') && heardByB.length === 2, 10_000);
    expect(heardByA).toHaveLength(1);
  });

  it('refuses a retention that is not positive', async () => {
    const publisher = await connect();
    await expect(
      createRedisRevocationList({ publisher, subscriber: publisher, channel, retentionSeconds: 0 }),
    ).rejects.toThrow(TypeError);
  });
});

/** Polls a condition every few milliseconds, for at most two seconds. */
async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function quietly(connection: Redis): Promise<void> {
  if (connection.status === 'ready') await connection.quit().catch(() => connection.disconnect());
  else connection.disconnect();
}
