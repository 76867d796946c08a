import { AuthError } from '../errors.js';
import type { Clock } from '../platform/clock.js';
import { parseJsonDocument, readBoundedText, RemoteDocumentError } from './bounded-body.js';

export interface RevocationPollerOptions {
  /** Tessera's feed, e.g. https://auth.example.com/auth/revocations. */
  url: string;
  /**
   * Time between the end of one poll and the start of the next; default 10 s, at least 1 s. In
   * long-poll mode, the back-off after a failed poll.
   */
  intervalMs?: number;
  /**
   * Long-poll: ask with `wait=<longPollSeconds>` (Tessera answers as soon as it hears of a revocation,
   * or after that long) and ask again at once after each answer. An integer, 0 (default: plain
   * polling every intervalMs) to 30.
   */
  longPollSeconds?: number;
  /**
   * What verify() does once the feed has not answered for `maxStalenessMs`: 'open' (default) keeps
   * accepting tokens against the last list it has; 'closed' refuses every token with 503 until the
   * feed answers again.
   */
  failMode?: 'open' | 'closed';
  /** How long without a successful poll counts as down; default 3 × intervalMs + longPollSeconds. */
  maxStalenessMs?: number;
  /** Bigger answers are refused; default 1 MiB (a page holds at most 1,000 entries). */
  maxBytes?: number;
  /** Per request, default 5 s; a long-poll request gets longPollSeconds on top. */
  timeoutMs?: number;
}

export interface RevocationPollerHealth {
  /** A poll succeeded within maxStalenessMs. */
  healthy: boolean;
  lastSuccessAt: Date | undefined;
  lastError: string | undefined;
  /** Revoked sessions held right now. */
  revokedSessions: number;
}

/** Pages read in one poll at most: a backlog beyond 50,000 rows is read over the next polls. */
const MAX_PAGES_PER_POLL = 50;

/** The most Tessera lets a reader wait (REVOCATION_FEED_MAX_WAIT_SECONDS on the server side). */
const MAX_LONG_POLL_SECONDS = 30;

/**
 * Follows Tessera's revocation feed (GET /auth/revocations) and remembers each revoked sid until no
 * token of it can still be valid: its `revoked_at` + `window_seconds` (access-token TTL + the server's
 * skew) + this verifier's clock tolerance. That is the same comparison, on the same clock, as the
 * verifier's own `exp` check, so a sid is forgotten only once its tokens count as expired here too.
 */
export class RevocationFeedPoller {
  readonly #url: URL;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #extraKeepMs: number;
  readonly intervalMs: number;
  readonly #longPollMs: number;
  readonly #maxStalenessMs: number;
  readonly #failMode: 'open' | 'closed';
  readonly #maxBytes: number;
  readonly #timeoutMs: number;
  /** sid → the local time after which it no longer matters. */
  readonly #revoked = new Map<string, number>();
  #cursor: string | undefined;
  #lastSuccessMs = -Infinity;
  #lastError: string | undefined;
  /** Failed polls so far: the loop backs off by intervalMs after one. */
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;
  #inFlight: Promise<void> | undefined;
  /** Set while the poll in flight may park on the server (long-poll): aborting it cuts it short. */
  #parked: AbortController | undefined;

  constructor(
    options: RevocationPollerOptions & { clock: Clock; fetch?: typeof fetch; clockToleranceSeconds: number },
  ) {
    this.#url = new URL(options.url);
    if (this.#url.protocol !== 'https:' && this.#url.protocol !== 'http:')
      throw new TypeError('revocations.url must be an http(s) URL.');
    this.#clock = options.clock;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#extraKeepMs = options.clockToleranceSeconds * 1000;
    this.intervalMs = options.intervalMs ?? 10_000;
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 1000)
      throw new TypeError('revocations.intervalMs must be at least 1000.');
    const longPollSeconds = options.longPollSeconds ?? 0;
    if (!Number.isInteger(longPollSeconds) || longPollSeconds < 0 || longPollSeconds > MAX_LONG_POLL_SECONDS)
      throw new TypeError(
        `revocations.longPollSeconds must be an integer from 0 to ${MAX_LONG_POLL_SECONDS}.`,
      );
    this.#longPollMs = longPollSeconds * 1000;
    // A parked long poll is not a stale feed: it counts for its wait on top of the interval.
    this.#maxStalenessMs = options.maxStalenessMs ?? 3 * this.intervalMs + this.#longPollMs;
    if (!(this.#maxStalenessMs >= this.intervalMs + this.#longPollMs))
      throw new TypeError('revocations.maxStalenessMs must be at least intervalMs + longPollSeconds.');
    if (options.failMode !== undefined && options.failMode !== 'open' && options.failMode !== 'closed')
      throw new TypeError("revocations.failMode must be 'open' or 'closed'.");
    this.#failMode = options.failMode ?? 'open';
    this.#maxBytes = options.maxBytes ?? 1024 * 1024;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /**
   * Polls now, then every intervalMs after each poll ends, until stop(). In long-poll mode, asks
   * again at once after each successful poll (the server holds it until there is news) and waits
   * intervalMs only after a failure.
   */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#parked?.abort();
  }

  isRevoked(sid: string): boolean {
    const until = this.#revoked.get(sid);
    return until !== undefined && this.#clock.now().getTime() < until;
  }

  health(): RevocationPollerHealth {
    return {
      healthy: this.#isFresh(),
      lastSuccessAt: this.#lastSuccessMs === -Infinity ? undefined : new Date(this.#lastSuccessMs),
      lastError: this.#lastError,
      revokedSessions: this.#revoked.size,
    };
  }

  /** Until the first poll has succeeded, waits for the one in flight: a fresh verifier knows no revocation yet. */
  async settle(): Promise<void> {
    if (this.#lastSuccessMs === -Infinity && this.#inFlight !== undefined) await this.#inFlight;
  }

  /** Fail-closed mode: refuses while the feed has been down longer than maxStalenessMs. */
  assertUsable(): void {
    if (this.#failMode === 'closed' && !this.#isFresh())
      throw new AuthError('service_unavailable', 'The revocation list is out of date.');
  }

  /**
   * One poll: reads pages until the feed says there is no more. Failures are recorded, not thrown.
   * Never parks: a long poll in flight is cut short and this one reads at once.
   */
  pollOnce(): Promise<void> {
    return this.#startPoll(false);
  }

  /** Single-flight: joins the poll in flight, unless that one is parked and this one must not wait. */
  #startPoll(mayWait: boolean): Promise<void> {
    if (this.#inFlight !== undefined) {
      if (mayWait || this.#parked === undefined) return this.#inFlight;
      this.#parked.abort();
      return this.#inFlight.then(() => this.#startPoll(false));
    }
    const parked = mayWait ? new AbortController() : undefined;
    this.#parked = parked;
    this.#inFlight = this.#poll(parked).finally(() => {
      this.#inFlight = undefined;
      this.#parked = undefined;
    });
    return this.#inFlight;
  }

  async #tick(): Promise<void> {
    // The first poll never parks: verify() waits for it (settle()).
    const longPoll = this.#longPollMs > 0 && this.#cursor !== undefined;
    const failuresBefore = this.#failures;
    await this.#startPoll(longPoll);
    if (!this.#running) return;
    const failed = this.#failures !== failuresBefore;
    const delayMs = this.#longPollMs > 0 && !failed ? 0 : this.intervalMs;
    this.#timer = setTimeout(() => void this.#tick(), delayMs);
    this.#timer.unref?.();
  }

  #isFresh(): boolean {
    return this.#clock.now().getTime() - this.#lastSuccessMs <= this.#maxStalenessMs;
  }

  /** `parked`: set for a long poll, whose first page may wait; aborted to cut it short (not a failure). */
  async #poll(parked: AbortController | undefined): Promise<void> {
    try {
      for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
        const more = await this.#readPage(page === 0 ? parked : undefined);
        if (!more) break;
      }
      this.#lastSuccessMs = this.#clock.now().getTime();
      this.#lastError = undefined;
    } catch (error) {
      if (parked?.signal.aborted !== true) {
        this.#failures += 1;
        this.#lastError = error instanceof Error ? error.message : 'The revocation feed failed.';
      }
    }
    this.#forgetExpired();
  }

  async #readPage(parked: AbortController | undefined): Promise<boolean> {
    const url = new URL(this.#url);
    if (this.#cursor !== undefined) url.searchParams.set('since', this.#cursor);
    const waitMs = parked === undefined ? 0 : this.#longPollMs;
    if (waitMs > 0) url.searchParams.set('wait', String(waitMs / 1000));
    const timeout = AbortSignal.timeout(this.#timeoutMs + waitMs);
    let response: Response;
    try {
      response = await this.#fetch(url.href, {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: parked === undefined ? timeout : AbortSignal.any([timeout, parked.signal]),
      });
    } catch (cause) {
      throw new RemoteDocumentError('The revocation feed could not be reached.', { cause });
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new RemoteDocumentError(`The revocation feed answered ${response.status}.`);
    }
    const page = parseFeedPage(parseJsonDocument(await readBoundedText(response, this.#maxBytes), 'feed'));
    for (const { sid, revokedAt } of page.entries) {
      const keepUntil = (revokedAt + page.windowSeconds) * 1000 + this.#extraKeepMs;
      this.#revoked.set(sid, Math.max(this.#revoked.get(sid) ?? 0, keepUntil));
    }
    this.#cursor = page.cursor;
    return page.more;
  }

  #forgetExpired(): void {
    const now = this.#clock.now().getTime();
    for (const [sid, until] of this.#revoked) if (now >= until) this.#revoked.delete(sid);
  }
}

/** Checks every member of a feed page: a malformed page changes nothing (the last list stays). */
function parseFeedPage(document: Record<string, unknown>): {
  entries: { sid: string; revokedAt: number }[];
  cursor: string;
  more: boolean;
  windowSeconds: number;
} {
  const { revoked, cursor, more, window_seconds: windowSeconds } = document;
  const entries: { sid: string; revokedAt: number }[] = [];
  if (!Array.isArray(revoked)) throw new RemoteDocumentError('The feed page has no "revoked" list.');
  for (const entry of revoked as unknown[]) {
    const { sid, revoked_at: revokedAt } = (entry ?? {}) as { sid?: unknown; revoked_at?: unknown };
    if (typeof sid !== 'string' || sid.length === 0 || sid.length > 256)
      throw new RemoteDocumentError('The feed page holds an entry without a valid "sid".');
    if (typeof revokedAt !== 'number' || !Number.isSafeInteger(revokedAt) || revokedAt < 0)
      throw new RemoteDocumentError('The feed page holds an entry without a valid "revoked_at".');
    entries.push({ sid, revokedAt });
  }
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 200)
    throw new RemoteDocumentError('The feed page has no valid "cursor".');
  if (typeof more !== 'boolean') throw new RemoteDocumentError('The feed page has no valid "more".');
  if (typeof windowSeconds !== 'number' || !Number.isInteger(windowSeconds) || windowSeconds <= 0)
    throw new RemoteDocumentError('The feed page has no valid "window_seconds".');
  return { entries, cursor, more, windowSeconds };
}
