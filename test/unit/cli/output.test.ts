import { describe, expect, it } from 'vitest';
import { createPalette, formatJson, formatTable } from '../../../src/cli/output.js';

describe('formatJson', () => {
  const value = { a: 'x', n: 1, ok: true, none: null, list: [1, 'y'], empty: {}, nothing: [] };

  it('without colour is exactly JSON.stringify with two spaces', () => {
    expect(formatJson(value, createPalette(false))).toBe(JSON.stringify(value, null, 2));
  });

  it('with colour wraps keys and values in SGR codes, and still escapes control characters', () => {
    const out = formatJson({ 'k\u001b': 'v\u001b[31m' }, createPalette(true));
    expect(out).toContain('\x1b[36m"k\\u001b"\x1b[39m');
    expect(out).toContain('\x1b[32m"v\\u001b[31m"\x1b[39m');
    // eslint-disable-next-line no-control-regex -- strips the SGR sequences under test
    expect(out.replace(/\x1b\[\d+m/g, '')).toBe(JSON.stringify({ 'k\u001b': 'v\u001b[31m' }, null, 2));
  });
});

describe('formatTable', () => {
  it('pads every column but the last, two spaces apart', () => {
    expect(
      formatTable(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['', '22'],
        ],
      ),
    ).toBe('A    LONG\nxyz  1\n     22');
  });

  it('shows control and format characters in cells as "?" (no terminal escapes from user data)', () => {
    expect(formatTable(['NAME'], [['Ada\u001b[2J\u202e']])).toBe('NAME\nAda?[2J?');
  });
});
