import type { Config } from '../../config/types.js';
import type { Clock } from '../../platform/clock.js';
import type { Stores } from '../../stores/types.js';
import { accessTokenWindowSeconds } from '../sessions/access-token-window.js';
import {
  decodeRevocationCursor,
  encodeRevocationCursor,
  type RevocationCursor,
} from './revocation-cursor.js';

/**
 * How far a complete read's cursor lags the server's clock. A revocation row carries the revoking
 * instance's clock and becomes visible when its transaction commits, so rows can appear "in the past":
 * a cursor of "now" would skip them. Lagging by this window re-reads the last seconds on every poll
 * (clients dedupe by sid) and misses nothing as long as commit delay + clock difference between
 * instances stays below it. It is also the feed's part of the staleness bound (docs/verify.md).
 */
export const REVOCATION_FEED_OVERLAP_SECONDS = 10;

/** Rows per answer; a longer backlog is paged (`more: true`), the client asks again at once. */
export const REVOCATION_FEED_PAGE_SIZE = 1000;

export interface RevocationFeedPage {
  revoked: { sid: string; revokedAt: Date }[];
  cursor: string;
  /** True when the page was cut: ask again with `cursor` right away. */
  more: boolean;
  /**
   * Revocations older than this many seconds are never listed: every access token of such a session
   * has expired (access-token TTL + clock tolerance). Clients may forget a sid after this long.
   */
  windowSeconds: number;
  overlapSeconds: number;
  /**
   * Whether the page holds something this reader has not been answered before: any row on a first
   * read or after a paged cursor; after a complete read's cursor (which lags that read by the
   * overlap), a row stamped at or after that read. Repeats of the overlap are not news, so a long-polling
   * reader parks instead of being answered the same rows again and again (revocation-feed-wait.ts).
   */
  hasNews: boolean;
}

/**
 * The revocation feed: JWT-mode sessions revoked since `since` (a cursor from a previous answer; none
 * for the start), limited to those whose access tokens can still be alive.
 */
export async function readRevocationFeed(
  deps: { config: Config; clock: Clock; stores: Pick<Stores, 'sessions'> },
  since: string | undefined,
): Promise<RevocationFeedPage> {
  const nowMs = deps.clock.now().getTime();
  const windowSeconds = accessTokenWindowSeconds(deps.config);
  const windowStartMs = nowMs - windowSeconds * 1000;
  const laggedMs = nowMs - REVOCATION_FEED_OVERLAP_SECONDS * 1000;

  const cursor = since === undefined ? undefined : decodeRevocationCursor(since);
  const from = clampToWindow(cursor, windowStartMs);
  const rows = await deps.stores.sessions.listRevokedSince(
    { revokedAt: new Date(from.afterMs), id: from.afterId },
    REVOCATION_FEED_PAGE_SIZE + 1,
  );
  const more = rows.length > REVOCATION_FEED_PAGE_SIZE;
  const page = rows.slice(0, REVOCATION_FEED_PAGE_SIZE);
  const floorMs = Math.min(from.floorMs ?? laggedMs, laggedMs);
  const last = page[page.length - 1];
  const next: RevocationCursor =
    more && last !== undefined
      ? { afterMs: last.revokedAt.getTime(), afterId: last.id, floorMs }
      : { afterMs: floorMs, afterId: '', floorMs: undefined };
  return {
    revoked: page.map((row) => ({ sid: row.id, revokedAt: row.revokedAt })),
    cursor: encodeRevocationCursor(next),
    more,
    windowSeconds,
    overlapSeconds: REVOCATION_FEED_OVERLAP_SECONDS,
    hasNews: more || page.some((row) => isNews(row.revokedAt, cursor)),
  };
}

function isNews(revokedAt: Date, cursor: RevocationCursor | undefined): boolean {
  if (cursor === undefined || cursor.afterId !== '') return true;
  // At or after the moment of that read: a row stamped in the very millisecond of it may have missed it.
  return revokedAt.getTime() >= cursor.afterMs + REVOCATION_FEED_OVERLAP_SECONDS * 1000;
}

/** Nothing older than the window matters; a cursor from before it (or none) starts at its edge. */
function clampToWindow(cursor: RevocationCursor | undefined, windowStartMs: number): RevocationCursor {
  if (cursor === undefined || cursor.afterMs < windowStartMs) {
    return { afterMs: windowStartMs, afterId: '', floorMs: cursor?.floorMs };
  }
  return cursor;
}
