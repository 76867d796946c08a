import { describe, expect, it } from 'vitest';
import { describeExpiry, describeRelative } from '../../../src/cli/relative-time.js';

const NOW = new Date('2026-01-15T10:00:00Z');
const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

describe('describeRelative', () => {
  it.each<[number, string]>([
    [0, 'now'],
    [0.5, 'now'],
    [1, 'in 1 second'],
    [59, 'in 59 seconds'],
    [60, 'in 1 minute'],
    [14 * 60 + 59, 'in 14 minutes'],
    [-3 * 3600 - 1, '3 hours ago'],
    [-86_400, '1 day ago'],
    [40 * 86_400, 'in 1 month'],
    [-400 * 86_400, '1 year ago'],
  ])('%d s → %s (rounded down, never later than it is)', (seconds, words) => {
    expect(describeRelative(at(seconds), NOW)).toBe(words);
  });
});

describe('describeExpiry', () => {
  it('says "expires in" for the future and "expired … ago" for the past or now', () => {
    expect(describeExpiry(at(14 * 60 + 30), NOW)).toBe('expires in 14 minutes');
    expect(describeExpiry(at(-3 * 3600), NOW)).toBe('expired 3 hours ago');
    expect(describeExpiry(NOW, NOW)).toBe('expired now');
  });
});
