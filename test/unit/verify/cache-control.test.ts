import { describe, expect, it } from 'vitest';
import { clampSeconds, parseMaxAgeSeconds } from '../../../src/verify/cache-control.js';

describe('parseMaxAgeSeconds', () => {
  it.each([
    ['public, max-age=300', 300],
    ['max-age="60"', 60],
    ['Max-Age=42, must-revalidate', 42],
    ['no-store', 0],
    ['max-age=300, no-cache', 0],
    ['private', undefined],
    ['max-age=-1', undefined],
    ['max-age=abc', undefined],
    ['max-age=99999999999', undefined],
    ['', undefined],
  ])('reads %j as %s', (header, expected) => {
    expect(parseMaxAgeSeconds(header)).toBe(expected);
  });

  it('reads no header as nothing', () => {
    expect(parseMaxAgeSeconds(null)).toBeUndefined();
  });

  it('clamps into the bounds', () => {
    expect(clampSeconds(5, 30, 3600)).toBe(30);
    expect(clampSeconds(500, 30, 3600)).toBe(500);
    expect(clampSeconds(5000, 30, 3600)).toBe(3600);
  });
});
