import { describe, expect, it } from 'vitest';
import { computeRetryAt, randomUnit } from '../../../src/mail/retry-backoff.js';

const NOW = new Date('2026-01-01T00:00:00.000Z');
const POLICY = { maxAttempts: 5, baseSeconds: 30, maxSeconds: 300 };
const after = (date: Date | null) => (date === null ? null : (date.getTime() - NOW.getTime()) / 1000);

describe('computeRetryAt', () => {
  it('doubles from the base, capped, between half and the whole of the wait (equal jitter)', () => {
    // unit 0: half the wait; unit → 1: the whole wait.
    expect([1, 2, 3, 4].map((n) => after(computeRetryAt(n, NOW, POLICY, 0)))).toEqual([15, 30, 60, 120]);
    expect([1, 2, 3, 4].map((n) => after(computeRetryAt(n, NOW, POLICY, 0.999999)))).toEqual([
      30, 60, 120, 240,
    ]);
    const capped = { ...POLICY, maxAttempts: 20 };
    expect(after(computeRetryAt(10, NOW, capped, 0))).toBe(150);
    expect(after(computeRetryAt(10, NOW, capped, 0.5))).toBe(225);
  });

  it('gives up after the last attempt', () => {
    expect(computeRetryAt(5, NOW, POLICY, 0.5)).toBeNull();
    expect(computeRetryAt(6, NOW, POLICY, 0.5)).toBeNull();
    expect(computeRetryAt(1, NOW, { ...POLICY, maxAttempts: 1 }, 0.5)).toBeNull();
  });

  it('turns four random bytes into [0, 1)', () => {
    expect(randomUnit(new Uint8Array([0, 0, 0, 0]))).toBe(0);
    expect(randomUnit(new Uint8Array([255, 255, 255, 255]))).toBeLessThan(1);
    expect(randomUnit(new Uint8Array([128, 0, 0, 0]))).toBe(0.5);
  });
});
