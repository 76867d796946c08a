import { describe, expect, it } from 'vitest';
import {
  BACKOFF_MAX_MS,
  backoffDelayMs,
  proactiveRefreshDelayMs,
} from '../../../src/client/refresh-timing.js';

describe('proactiveRefreshDelayMs', () => {
  const now = 1_000_000;
  const expiresAt = now + 900_000;

  it('refreshes `leeway` before exp without jitter, and up to 20% of the leeway earlier with it', () => {
    expect(proactiveRefreshDelayMs(expiresAt, now, 60, () => 0)).toBe(840_000);
    expect(proactiveRefreshDelayMs(expiresAt, now, 60, () => 0.5)).toBe(834_000);
    expect(proactiveRefreshDelayMs(expiresAt, now, 60, () => 0.999_999)).toBeCloseTo(828_000, -1);
  });

  it('stays within [exp - 1.2 leeway, exp - leeway] for any random value', () => {
    for (let i = 0; i < 100; i += 1) {
      const delay = proactiveRefreshDelayMs(expiresAt, now, 60, () => i / 100);
      expect(delay).toBeGreaterThan(828_000);
      expect(delay).toBeLessThanOrEqual(840_000);
    }
  });

  it('is 0 (refresh now) past exp, never negative', () => {
    expect(proactiveRefreshDelayMs(now, now, 60, () => 0)).toBe(0);
    expect(proactiveRefreshDelayMs(now - 5_000, now, 60, () => 0)).toBe(0);
  });

  it('caps the leeway at half the time left, so a leeway >= the token lifetime cannot loop', () => {
    // A 30 s token with a 60 s leeway: refresh after 15 s (up to 20% of 15 s earlier), not at once.
    expect(proactiveRefreshDelayMs(now + 30_000, now, 60, () => 0)).toBe(15_000);
    expect(proactiveRefreshDelayMs(now + 30_000, now, 60, () => 0.999_999)).toBeCloseTo(12_000, -1);
    // Refreshing at every due time, 100 successive 30 s tokens take at least 100 × 12 s.
    let clock = now;
    for (let i = 0; i < 100; i += 1) clock += proactiveRefreshDelayMs(clock + 30_000, clock, 3600, () => 1);
    expect(clock - now).toBeGreaterThanOrEqual(100 * 12_000);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from 1 s with jitter in [50%, 100%] of each step', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, () => 0, null))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(attempt, () => 1, null))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
  });

  it('is capped at 5 minutes', () => {
    expect(backoffDelayMs(40, () => 1, null)).toBe(BACKOFF_MAX_MS);
  });

  it('never retries sooner than Retry-After', () => {
    expect(backoffDelayMs(1, () => 1, 30)).toBe(30_000);
    expect(backoffDelayMs(5, () => 1, 2)).toBe(16_000); // the back-off is already longer
  });
});
