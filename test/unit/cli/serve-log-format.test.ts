import { describe, expect, it } from 'vitest';
import { usesTextLogs } from '../../../src/cli/commands/serve.js';

describe('tessera serve log format', () => {
  it.each([
    ['auto', true, true],
    ['auto', false, false],
    ['json', true, false],
    ['json', false, false],
    ['text', false, true],
    ['text', true, true],
  ] as const)('%s with a terminal=%s → text %s', (format, terminal, text) => {
    expect(usesTextLogs(format, terminal)).toBe(text);
  });
});
