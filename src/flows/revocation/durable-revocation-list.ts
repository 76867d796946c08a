import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { SessionStore } from '../../stores/types.js';
import { REVOCATION_FEED_OVERLAP_SECONDS } from './revocation-feed.js';
import {
  createRevocationListeners,
  type FanOutRevocationList,
  type RevocationList,
} from '../../stores/revocation-list.js';

export interface DurableRevocationListOptions {
  /** The fast path (Redis pub/sub): heard within milliseconds while it works. */
  fanOut: FanOutRevocationList;
  /** The durable record: sessions.revoked_at (and the tombstones of deleted users' sessions). */
  sessions: Pick<SessionStore, 'listRevokedSince'>;
  clock: Clock;
  /** How long a revocation matters: the access-token lifetime plus the clock tolerance. */
  windowSeconds: number;
  /** How often the database is read for revocations since the last read (default 250 ms). */
  pollIntervalMs?: number;
  /**
   * The list answers "not revoked" from memory only while its last complete database read started at
   * most this long ago (default 750 ms); past it (database slow, process paused or starved) strict mode
   * reads the session from the store. It is the staleness bound.
   */
  maxStalenessMs?: number;
  logger?: Logger;
}

export const DEFAULT_RECONCILE_INTERVAL_MS = 250;
export const DEFAULT_MAX_STALENESS_MS = 750;
const PAGE_SIZE = 1000;
const SWEEP_INTERVAL_MS = 60_000;

/**
 * The revocation list strict mode trusts (decision 0017). The database is the record; Redis only makes
 * it fast. Seeded from the database before the first request (every session revoked within the window),
 * then reconciled from it every `pollIntervalMs` (keyset reads from the last read minus the feed's
 * overlap, so rows committed late or stamped by a slightly slower clock are not skipped), so a
 * revocation whose announcement was lost (connection dropped, sender killed between commit and publish,
 * Redis flushed or restarted) still reaches this instance within interval + read time. After the fan-out
 * re-syncs (a reconnect, a new Redis run_id) the whole window is read again before the list is trusted.
 */
export async function createDurableRevocationList(
  options: DurableRevocationListOptions,
): Promise<RevocationList> {
  if (!(options.windowSeconds > 0)) throw new TypeError('windowSeconds must be positive.');
  const list = new DurableRevocationList(options);
  await list.start();
  return list;
}

class DurableRevocationList implements RevocationList {
  readonly authoritative = true;
  readonly #options: DurableRevocationListOptions;
  readonly #windowMs: number;
  readonly #pollIntervalMs: number;
  readonly #maxStalenessMs: number;
  /** Session id → when it stops mattering (ms since the epoch), as read from the database. */
  readonly #revoked = new Map<string, number>();
  readonly #listeners = createRevocationListeners();
  /** When the last complete read started: everything committed before it is known. */
  #freshAsOfMs: number | undefined;
  /** The fan-out's sync epoch the last full read followed; another one means read the window again. */
  #seededForEpoch: number | undefined;
  #lastSweepMs = 0;
  #failing = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(options: DurableRevocationListOptions) {
    this.#options = options;
    this.#windowMs = Math.ceil(options.windowSeconds * 1000);
    this.#pollIntervalMs = options.pollIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS;
    this.#maxStalenessMs = options.maxStalenessMs ?? DEFAULT_MAX_STALENESS_MS;
  }

  async start(): Promise<void> {
    await this.#reconcile();
    this.#options.logger?.info({ known: this.#revoked.size }, 'Revocation list seeded from the database');
    this.#schedule();
  }

  /** The fan-out's health: with Redis down, strict mode fails closed (503) by default, as before. */
  healthy(): boolean {
    return this.#options.fanOut.healthy();
  }

  /** A complete read started within maxStalenessMs, and the window re-read since the last (re)sync. */
  fresh(): boolean {
    if (this.#freshAsOfMs === undefined) return false;
    if (this.#seededForEpoch !== this.#options.fanOut.syncEpoch()) return false;
    return this.#options.clock.now().getTime() - this.#freshAsOfMs <= this.#maxStalenessMs;
  }

  isRevoked(sessionId: string): boolean {
    if (this.#options.fanOut.isRevoked(sessionId)) return true;
    const until = this.#revoked.get(sessionId);
    if (until === undefined) return false;
    if (until > this.#options.clock.now().getTime()) return true;
    this.#revoked.delete(sessionId);
    return false;
  }

  announce(sessionIds: readonly string[]): Promise<void> {
    return this.#options.fanOut.announce(sessionIds);
  }

  onRevoked(listener: (sessionIds: readonly string[]) => void): () => void {
    const fromFanOut = this.#options.fanOut.onRevoked(listener);
    const fromDatabase = this.#listeners.add(listener);
    return () => {
      fromFanOut();
      fromDatabase();
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#options.fanOut.close();
  }

  #schedule(): void {
    if (this.#closed) return;
    this.#timer = setTimeout(() => {
      void this.#tick();
    }, this.#pollIntervalMs);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    try {
      await this.#reconcile();
      if (this.#failing) this.#options.logger?.info('Revocation reconciliation from the database is back');
      this.#failing = false;
    } catch (error) {
      if (this.#closed) return; // a read cut short by shutdown is no failure worth a warning
      if (!this.#failing) {
        this.#options.logger?.warn(
          { err: (error as Error).message },
          'Revocation reconciliation from the database failed; strict mode distrusts the list',
        );
      }
      this.#failing = true;
    }
    this.#schedule();
  }

  /**
   * One read: the whole window when the fan-out has (re)synced since the last full read (or never was),
   * else from the last read's start minus the overlap. Only a complete read moves the freshness mark.
   */
  async #reconcile(): Promise<void> {
    const epoch = this.#options.fanOut.syncEpoch();
    const startedMs = this.#options.clock.now().getTime();
    const full = epoch !== this.#seededForEpoch || this.#freshAsOfMs === undefined;
    const windowStartMs = startedMs - this.#windowMs;
    const fromMs = full
      ? windowStartMs
      : Math.max(windowStartMs, this.#freshAsOfMs! - REVOCATION_FEED_OVERLAP_SECONDS * 1000);
    let after = { revokedAt: new Date(fromMs), id: '' };
    for (;;) {
      const rows = await this.#options.sessions.listRevokedSince(after, PAGE_SIZE);
      this.#remember(rows);
      const last = rows[rows.length - 1];
      if (rows.length < PAGE_SIZE || last === undefined) break;
      after = { revokedAt: last.revokedAt, id: last.id };
    }
    this.#freshAsOfMs = startedMs;
    if (full) this.#seededForEpoch = epoch;
    this.#sweep(startedMs);
  }

  /** Entries are also dropped lazily by isRevoked; this keeps ids nobody asks about from piling up. */
  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweepMs < SWEEP_INTERVAL_MS) return;
    this.#lastSweepMs = nowMs;
    for (const [id, until] of this.#revoked) if (until <= nowMs) this.#revoked.delete(id);
  }

  #remember(rows: readonly { id: string; revokedAt: Date }[]): void {
    const heard: string[] = [];
    for (const row of rows) {
      if (!this.#revoked.has(row.id) && !this.#options.fanOut.isRevoked(row.id)) heard.push(row.id);
      this.#revoked.set(row.id, row.revokedAt.getTime() + this.#windowMs);
    }
    this.#listeners.notify(heard);
  }
}
