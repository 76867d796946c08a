import { isSocketUnavailable } from '../socket-errors.js';

/**
 * ioredis gives its client-side failures no code, only a name or a fixed message: the connection is
 * down (no offline queue, so commands fail at once), was lost with the command in flight, or the
 * command timed out. Redis itself answers these replies while it cannot serve for a moment.
 */
const IOREDIS_UNAVAILABLE_MESSAGES = new Set([
  'Connection is closed.',
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Command timed out',
]);
const REDIS_TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN) /;

/** The Redis adapters' recogniser of "unavailable" (translated at their boundary). */
export function isRedisUnavailable(error: unknown): boolean {
  if (isSocketUnavailable(error)) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (IOREDIS_UNAVAILABLE_MESSAGES.has(error.message)) return true;
  return error.name === 'ReplyError' && REDIS_TRANSIENT_REPLY.test(error.message);
}
