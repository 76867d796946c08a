import { AuthError } from '../../errors.js';

/**
 * Where a reader of the revocation feed stands. Opaque to clients; two shapes on the wire:
 *  - `<ms>`: read everything revoked at or after `ms` (the answer to a complete read, lagging the
 *    server's clock by the overlap window so late commits are read again, see revocation-feed.ts);
 *  - `<ms>.<id>.<floorMs>`: the middle of a long read that was cut into pages: continue after the
 *    row (ms, id), and once the read completes fall back no later than `floorMs`, the lagged position
 *    of the page that started it, so rows committed late while paging are not skipped.
 */
export interface RevocationCursor {
  afterMs: number;
  /** '' for "every row at afterMs"; any id sorts after it. */
  afterId: string;
  /** Set while paging: the lagged position the read started from. */
  floorMs: number | undefined;
}

/** Both shapes; the revocation route's `since` schema uses it too, so the OpenAPI document states it. */
export const REVOCATION_CURSOR_PATTERN = /^(\d{1,15})(?:\.([A-Za-z0-9_-]{1,128})\.(\d{1,15}))?$/;

export function encodeRevocationCursor(cursor: RevocationCursor): string {
  if (cursor.floorMs === undefined || cursor.afterId === '') return String(cursor.afterMs);
  return `${cursor.afterMs}.${cursor.afterId}.${cursor.floorMs}`;
}

/** Parses a cursor from a client: anything else than the two shapes is a clear 400, never a 500. */
export function decodeRevocationCursor(text: string): RevocationCursor {
  const match = REVOCATION_CURSOR_PATTERN.exec(text);
  if (match === null) throw new AuthError('invalid_request', 'The revocation cursor is malformed.');
  const afterMs = Number(match[1]);
  if (match[2] === undefined) return { afterMs, afterId: '', floorMs: undefined };
  return { afterMs, afterId: match[2], floorMs: Number(match[3]) };
}
