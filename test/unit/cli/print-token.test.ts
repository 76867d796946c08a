import { describe, expect, it } from 'vitest';
import { formatToken } from '../../../src/cli/commands/token/print-token.js';
import { createPalette } from '../../../src/cli/output.js';

const NOW = new Date('2026-01-15T10:00:00Z');
const NOW_S = NOW.getTime() / 1000;

const format = (payload: Record<string, unknown>, color = false) =>
  formatToken({
    header: { alg: 'ES256', typ: 'at+jwt' },
    payload,
    verified: false,
    label: 'NOT VERIFIED',
    palette: createPalette(color),
    now: NOW,
  });

describe('formatToken', () => {
  it('labels, pretty-prints header and payload, and gives the times in words', () => {
    const text = format({ sub: 'ada', exp: NOW_S + 14 * 60 + 30, iat: NOW_S - 30, nbf: NOW_S + 60 });
    expect(text.startsWith('NOT VERIFIED\n\nHeader\n{\n  "alg": "ES256",')).toBe(true);
    expect(text).toContain('Payload\n{\n  "sub": "ada",');
    expect(text).toContain('exp  2026-01-15T10:14:30.000Z  expires in 14 minutes');
    expect(text).toContain('iat  2026-01-15T09:59:30.000Z  issued 30 seconds ago');
    expect(text).toContain('nbf  2026-01-15T10:01:00.000Z  becomes valid in 1 minute');
  });

  it('an expired token says so', () => {
    expect(format({ exp: NOW_S - 3 * 3600 })).toContain('expired 3 hours ago');
  });

  it.each<[string, unknown, string]>([
    ['no exp', undefined, 'exp  (none: Tessera refuses tokens without exp)'],
    ['a string exp', 'tomorrow', 'exp  (not a NumericDate)'],
    ['an exp beyond any date', 1e300, 'exp  (not a NumericDate)'],
  ])('%s is described, never crashes', (_name, exp, line) => {
    expect(format(exp === undefined ? { sub: 'x' } : { exp })).toContain(line);
  });

  it('colours only when asked', () => {
    expect(format({ exp: NOW_S + 60 })).not.toContain('\x1b[');
    expect(format({ exp: NOW_S + 60 }, true)).toContain('\x1b[');
  });
});
