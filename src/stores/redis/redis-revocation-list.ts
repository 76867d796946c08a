import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRevocationListeners, type FanOutRevocationList } from '../revocation-list.js';
import { systemClock, type Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import { StoreUnavailableError } from '../../errors.js';
import { ANNOUNCE_SCRIPT, formatAnnouncement, parseAnnouncement } from './redis-revocation-announcement.js';
import { defineRedisScript } from './redis-script.js';

export interface RedisRevocationListOptions {
  /** Publishes and reads the recent set; may be the stores' own connection. The caller closes it. */
  publisher: Redis;
  /** A dedicated connection (a subscribed one serves nothing else); close() quits it. */
  subscriber: Redis;
  /** The pub/sub channel every instance shares, e.g. `tessera:revocations`. */
  channel: string;
  /** The sorted set of recent revocations; default `<channel>:recent`. */
  recentKey?: string;
  /** How long a revocation matters: the access-token lifetime plus the clock tolerance. */
  retentionSeconds: number;
  clock?: Clock;
  logger?: Logger;
  /** Both connections are pinged this often, so a silently dead one is noticed (default 250 ms). */
  heartbeatMs?: number;
  /**
   * A connection whose PING has gone unanswered for this long (counted in heartbeats, so a process that
   * was paused or busy does not blame Redis for its own delay) is distrusted (healthy() false) before
   * its socket timeout tears it down: a silent cut is noticed within about this long (default 1000 ms).
   */
  pongDeadlineMs?: number;
  /**
   * Told of every announcement heard live from another instance, with how long after it was made
   * (this clock minus the announcer's: clock skew between hosts is in it). Must return quickly.
   */
  onHeard?: (heard: { sessionCount: number; lagMs: number }) => void;
}

const PUBLISH_BATCH = 1000;
/** Redis's run_id is read every this many heartbeats (about once a second by default). */
const RUN_ID_CHECK_EVERY_BEATS = 4;

/**
 * The revocation list of an instance among many (docs/decisions/0017-durable-strict-mode-revocation.md). Every instance keeps the
 * recently revoked session ids in memory, fed by Redis pub/sub, so isRevoked never waits on Redis.
 * Nothing is trusted while a connection is down: healthy() turns false at once and stays false until
 * both connections are back and the recent set has been read again (what was announced meanwhile).
 * Announcements that could not be published are kept and published after the reconnect.
 */
export async function createRedisRevocationList(
  options: RedisRevocationListOptions,
): Promise<FanOutRevocationList> {
  if (!(options.retentionSeconds > 0)) throw new TypeError('retentionSeconds must be positive.');
  const list = new RedisRevocationList(options);
  await list.start();
  return list;
}

class RedisRevocationList implements FanOutRevocationList {
  readonly authoritative = true;
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #recentKey: string;
  readonly #retentionMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #onHeard: RedisRevocationListOptions['onHeard'];
  /** Marks this list's own messages, which it hears too: they are not "propagation" to it. */
  readonly #origin = randomUUID();
  readonly #heartbeatMs: number;
  /** pongDeadlineMs in heartbeats. */
  readonly #pongDeadlineBeats: number;
  /** The heartbeat at which each connection's unanswered PING was sent (absent: none outstanding). */
  readonly #pingSentAtBeat = new Map<Redis, number>();
  readonly #announce;
  /** Session id → when it stops mattering (ms since the epoch). */
  readonly #revoked = new Map<string, number>();
  /** Announced here while Redis was unreachable: published once it is back. */
  readonly #unpublished = new Set<string>();
  /** Told of every revocation heard: announced here, by another instance, or caught up on. */
  readonly #listeners = createRevocationListeners();
  /** Bumped by every lost connection, so a catch-up that raced a disconnect does not claim health. */
  #generation = 0;
  #synced = false;
  /** Grows every time the list (re)gains sync: see FanOutRevocationList. */
  #syncEpoch = 0;
  /** The Redis server's run_id at the last sync: another one means it restarted (its data may be gone). */
  #runId: string | undefined;
  #closed = false;
  #timers: NodeJS.Timeout[] = [];
  #beats = 0;

  constructor(options: RedisRevocationListOptions) {
    this.#publisher = options.publisher;
    this.#subscriber = options.subscriber;
    this.#channel = options.channel;
    this.#recentKey = options.recentKey ?? `${options.channel}:recent`;
    this.#retentionMs = Math.ceil(options.retentionSeconds * 1000);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger;
    this.#onHeard = options.onHeard;
    this.#heartbeatMs = options.heartbeatMs ?? 250;
    this.#pongDeadlineBeats = Math.max(1, Math.round((options.pongDeadlineMs ?? 1000) / this.#heartbeatMs));
    this.#announce = defineRedisScript<number>(
      this.#publisher,
      'tesseraAnnounceRevocations',
      ANNOUNCE_SCRIPT,
      1,
    );
  }

  async start(): Promise<void> {
    this.#subscriber.on('message', this.#onMessage);
    for (const connection of [this.#publisher, this.#subscriber]) {
      connection.on('close', this.#onConnectionLost);
      connection.on('ready', this.#onConnectionReady);
    }
    this.#timers = [
      setInterval(() => this.#sweep(), Math.min(this.#retentionMs, 60_000)),
      setInterval(() => this.#heartbeat(), this.#heartbeatMs),
    ];
    for (const timer of this.#timers) timer.unref();
    await this.#catchUp();
  }

  healthy(): boolean {
    if (!this.#synced || !this.#connectionsReady()) return false;
    return [this.#publisher, this.#subscriber].every((connection) => {
      const sentAt = this.#pingSentAtBeat.get(connection);
      return sentAt === undefined || this.#beats - sentAt < this.#pongDeadlineBeats;
    });
  }

  /** Nothing durable behind this list alone: the durable list (flows) wraps it to add that. */
  fresh(): boolean {
    return true;
  }

  syncEpoch(): number {
    return this.#syncEpoch;
  }

  isRevoked(sessionId: string): boolean {
    const until = this.#revoked.get(sessionId);
    if (until === undefined) return false;
    if (until > this.#clock.now().getTime()) return true;
    this.#revoked.delete(sessionId);
    return false;
  }

  /**
   * Known here at once, elsewhere once published. When it cannot be published, throws
   * StoreUnavailableError and keeps the ids, which go out after the reconnect.
   */
  async announce(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    const nowMs = this.#clock.now().getTime();
    this.#remember(sessionIds, nowMs + this.#retentionMs);
    this.#listeners.notify(sessionIds);
    try {
      await this.#publish(sessionIds, nowMs);
    } catch (error) {
      for (const id of sessionIds) this.#unpublished.add(id);
      throw new StoreUnavailableError('The revocation could not be announced to the other instances.', {
        cause: error,
      });
    }
  }

  onRevoked(listener: (sessionIds: readonly string[]) => void): () => void {
    return this.#listeners.add(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#synced = false;
    for (const timer of this.#timers) clearInterval(timer);
    this.#subscriber.off('message', this.#onMessage);
    for (const connection of [this.#publisher, this.#subscriber]) {
      connection.off('close', this.#onConnectionLost);
      connection.off('ready', this.#onConnectionReady);
    }
    await quit(this.#subscriber);
  }

  readonly #onMessage = (channel: string, message: string): void => {
    if (channel !== this.#channel) return;
    const announcement = parseAnnouncement(message);
    if (announcement === undefined) {
      this.#logger?.warn({ channel }, 'Ignored a malformed revocation message');
      return;
    }
    this.#remember(announcement.ids, announcement.at + this.#retentionMs);
    this.#listeners.notify(announcement.ids);
    if (this.#onHeard !== undefined && announcement.origin !== this.#origin) {
      const lagMs = this.#clock.now().getTime() - announcement.at;
      try {
        this.#onHeard({ sessionCount: announcement.ids.length, lagMs });
      } catch {
        // Reporting is best effort; the revocation has been heard and remembered.
      }
    }
  };

  readonly #onConnectionLost = (): void => {
    this.#generation += 1;
    if (this.#synced)
      this.#logger?.warn('Revocation fan-out lost its Redis connection; not trusted until back');
    this.#synced = false;
  };

  readonly #onConnectionReady = (): void => {
    void this.#catchUp();
  };

  /**
   * Subscribe first, then read the recent set: whatever is announced in between arrives both ways,
   * which is harmless, and nothing falls between the two. Then publish what could not be announced.
   */
  async #catchUp(): Promise<void> {
    const generation = this.#generation;
    if (this.#closed || !this.#connectionsReady()) return;
    try {
      await this.#subscriber.subscribe(this.#channel);
      await this.#checkRunId();
      const nowMs = this.#clock.now().getTime();
      const recent = await this.#publisher.zrangebyscore(
        this.#recentKey,
        `(${nowMs - this.#retentionMs}`,
        '+inf',
        'WITHSCORES',
      );
      const heard: string[] = [];
      for (let i = 0; i + 1 < recent.length; i += 2) {
        const id = recent[i] as string;
        if (!this.#revoked.has(id)) heard.push(id);
        this.#remember([id], Number(recent[i + 1]) + this.#retentionMs);
      }
      this.#listeners.notify(heard);
      const unpublished = [...this.#unpublished];
      if (unpublished.length > 0) await this.#publish(unpublished, nowMs);
      for (const id of unpublished) this.#unpublished.delete(id);
    } catch (error) {
      // The heartbeat tries again; until then the list reports itself unhealthy.
      this.#logger?.warn({ err: (error as Error).message }, 'Revocation catch-up failed');
      return;
    }
    if (generation !== this.#generation || this.#closed || !this.#connectionsReady()) return;
    if (this.#synced) return;
    this.#logger?.info({ known: this.#revoked.size }, 'Revocation fan-out in sync');
    this.#syncEpoch += 1;
    this.#synced = true;
  }

  /** A Redis that restarted without persistence has lost the recent set: logged, and re-seeded by the epoch. */
  async #checkRunId(): Promise<void> {
    const runId = /^run_id:(\w+)/m.exec(await this.#publisher.info('server'))?.[1];
    if (this.#runId !== undefined && runId !== this.#runId) {
      this.#logger?.warn('Redis restarted (run_id changed): revocations are re-read from the database');
    }
    this.#runId = runId;
  }

  /** In batches, so revoking every session of a large tenant does not become one giant command. */
  async #publish(ids: readonly string[], nowMs: number): Promise<void> {
    for (let start = 0; start < ids.length; start += PUBLISH_BATCH) {
      const batch = ids.slice(start, start + PUBLISH_BATCH);
      const message = formatAnnouncement(batch, nowMs, this.#origin);
      await this.#announce([this.#recentKey], [this.#channel, nowMs, this.#retentionMs, message, ...batch]);
    }
  }

  #remember(ids: readonly string[], until: number): void {
    for (const id of ids) this.#revoked.set(id, Math.max(until, this.#revoked.get(id) ?? 0));
  }

  #connectionsReady(): boolean {
    return this.#publisher.status === 'ready' && this.#subscriber.status === 'ready';
  }

  /** Entries are also dropped lazily by isRevoked; this keeps ids nobody asks about from piling up. */
  #sweep(): void {
    const nowMs = this.#clock.now().getTime();
    for (const [id, until] of this.#revoked) if (until <= nowMs) this.#revoked.delete(id);
  }

  /**
   * A PING unanswered for pongDeadlineMs (in heartbeats) makes the list unhealthy at once; unanswered
   * for the socket timeout, it closes the connection, which reconnects and catches up. A catch-up that failed while
   * the connections stayed up is retried here.
   */
  #heartbeat(): void {
    this.#beats += 1;
    for (const connection of [this.#publisher, this.#subscriber]) {
      if (connection.status !== 'ready' || this.#pingSentAtBeat.has(connection)) continue;
      this.#pingSentAtBeat.set(connection, this.#beats);
      // Answered or failed (the connection closed: not ready, so unhealthy anyway), it is no longer late.
      const settle = () => this.#pingSentAtBeat.delete(connection);
      connection.ping().then(settle, settle);
    }
    if (this.#synced && this.#beats % RUN_ID_CHECK_EVERY_BEATS === 0) void this.#watchRunId();
    if (!this.#synced) void this.#catchUp();
  }

  /**
   * Redis restarted behind a connection that stayed up (a proxy in between): no reconnect tells us, the
   * run_id does. What was announced meanwhile may be gone, so the list re-syncs (a new epoch).
   */
  async #watchRunId(): Promise<void> {
    const generation = this.#generation;
    const before = this.#runId;
    try {
      await this.#checkRunId();
    } catch {
      return; // the PINGs and the socket timeout deal with a connection that does not answer
    }
    if (before === this.#runId || generation !== this.#generation || !this.#synced) return;
    this.#generation += 1;
    this.#synced = false;
    void this.#catchUp();
  }
}

/** QUIT when connected (and wait for the socket to close); otherwise just stop reconnecting. */
async function quit(connection: Redis): Promise<void> {
  if (connection.status !== 'ready') {
    connection.disconnect();
    return;
  }
  const ended = new Promise((resolve) => connection.once('end', resolve));
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
  await ended;
}
