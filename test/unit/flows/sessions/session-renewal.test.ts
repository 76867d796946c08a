import { describe, expect, it } from 'vitest';
import {
  idleExpiryAfter,
  isRenewalDue,
  renewalIntervalMs,
  secondsUntilSessionEnds,
} from '../../../../src/flows/sessions/session-renewal.js';
import type { SessionRecord } from '../../../../src/stores/types.js';

const NOW = new Date('2026-01-15T10:00:00.000Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
const timeouts = (idle: number, absolute = 604_800) => ({
  sessionIdleTimeoutSeconds: idle,
  sessionAbsoluteTimeoutSeconds: absolute,
});

function session(fields: Partial<SessionRecord>): SessionRecord {
  return {
    id: 'sid',
    userId: 'uid',
    kind: 'session',
    tokenHash: 'hash',
    createdAt: NOW,
    lastSeenAt: NOW,
    idleExpiresAt: at(1800),
    absoluteExpiresAt: at(604_800),
    revokedAt: null,
    revokedReason: null,
    userAgent: null,
    ip: null,
    ...fields,
  };
}

describe('sliding renewal of session-mode sessions', () => {
  it.each<[number, number]>([
    [1800, 180_000], // the default: idle / 10
    [86_400, 8_640_000], // idle / 10 for long idle timeouts
    [600, 60_000], // idle / 10 = 60 s exactly
    [300, 60_000], // the 60 s floor
    [100, 50_000], // but never more than half the idle timeout
    [1, 500],
  ])('renews at most every max(60 s, idle/10) ≤ idle/2: idle %i s → %i ms', (idle, expected) => {
    expect(renewalIntervalMs(timeouts(idle))).toBe(expected);
  });

  it('is due exactly when the renewal interval has passed since lastSeenAt', () => {
    const config = timeouts(1800);
    expect(isRenewalDue(session({}), config, NOW)).toBe(false);
    expect(isRenewalDue(session({}), config, at(179.999))).toBe(false);
    expect(isRenewalDue(session({}), config, at(180))).toBe(true);
    expect(isRenewalDue(session({ lastSeenAt: at(180) }), config, at(359))).toBe(false);
    expect(isRenewalDue(session({ lastSeenAt: at(180) }), config, at(360))).toBe(true);
  });

  it('slides the idle expiry to now + idle, never past the absolute expiry', () => {
    const config = timeouts(1800, 3600);
    expect(idleExpiryAfter(at(3600), config, at(600))).toEqual(at(2400));
    expect(idleExpiryAfter(at(3600), config, at(1800))).toEqual(at(3600));
    expect(idleExpiryAfter(at(3600), config, at(3000))).toEqual(at(3600));
  });

  it('counts whole seconds until the earlier of the two expiries, never below zero', () => {
    expect(secondsUntilSessionEnds(session({}), NOW)).toBe(1800);
    expect(secondsUntilSessionEnds(session({ absoluteExpiresAt: at(600) }), NOW)).toBe(600);
    expect(secondsUntilSessionEnds(session({ idleExpiresAt: null }), NOW)).toBe(604_800);
    expect(secondsUntilSessionEnds(session({}), at(0.5))).toBe(1799);
    expect(secondsUntilSessionEnds(session({}), at(4000))).toBe(0);
  });
});
