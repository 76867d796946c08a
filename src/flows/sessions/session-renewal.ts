import type { Config } from '../../config/types.js';
import type { SessionRecord } from '../../stores/types.js';

type TimeoutConfig = Pick<Config, 'sessionIdleTimeoutSeconds' | 'sessionAbsoluteTimeoutSeconds'>;

/**
 * Sliding renewal of session-mode sessions with bounded writes. Every request that authenticates with a
 * session token pushes its idle expiry to `now + idle` (never past the absolute expiry), but the write
 * is made only when `now - lastSeenAt >= renewal interval`, where the interval is max(60 s, idle / 10)
 * and at most idle / 2. With the defaults (idle 30 min) that is at most one write per session every
 * 3 minutes however busy the client is. The price: `lastSeenAt` is exact only to within the interval,
 * and a session ends between `idle - interval` and `idle` after its last request (never later than the
 * configured idle timeout, never earlier than 90 % of it when idle >= 10 min, half of it at worst).
 */
export function renewalIntervalMs(config: TimeoutConfig): number {
  const idleMs = config.sessionIdleTimeoutSeconds * 1000;
  return Math.min(Math.max(60_000, idleMs / 10), idleMs / 2);
}

/** Whether this request should write the sliding renewal (see renewalIntervalMs). Pure. */
export function isRenewalDue(session: SessionRecord, config: TimeoutConfig, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= renewalIntervalMs(config);
}

/** The idle expiry of a session seen at `at`: `at + idle`, capped at the absolute expiry. */
export function idleExpiryAfter(absoluteExpiresAt: Date, config: TimeoutConfig, at: Date): Date {
  const idle = at.getTime() + config.sessionIdleTimeoutSeconds * 1000;
  return new Date(Math.min(idle, absoluteExpiresAt.getTime()));
}

/** Whole seconds until the session ends at the latest (idle or absolute, whichever comes first). */
export function secondsUntilSessionEnds(
  session: Pick<SessionRecord, 'idleExpiresAt' | 'absoluteExpiresAt'>,
  now: Date,
): number {
  const idle = session.idleExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const ends = Math.min(idle, session.absoluteExpiresAt.getTime());
  return Math.max(0, Math.floor((ends - now.getTime()) / 1000));
}
