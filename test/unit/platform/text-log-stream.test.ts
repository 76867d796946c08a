import { describe, expect, it } from 'vitest';
import { createTextLogStream, formatLogLine } from '../../../src/platform/text-log-stream.js';

describe('formatLogLine', () => {
  it.each([
    [
      'an info line is its message',
      { level: 30, msg: 'Tessera listening on http://127.0.0.1:3000' },
      'Tessera listening on http://127.0.0.1:3000',
    ],
    ['a warning says so', { level: 40, msg: 'careful' }, 'warning: careful'],
    [
      'an error carries its cause',
      { level: 50, msg: 'failed', err: { message: 'boom', stack: 'at x' } },
      'error: failed: boom',
    ],
    ['debug is marked', { level: 20, msg: 'detail' }, 'debug: detail'],
  ])('%s', (_case, entry, expected) => {
    expect(formatLogLine(JSON.stringify(entry))).toBe(expected);
  });

  it('drops a JSON line without a message and passes through what is not JSON', () => {
    expect(formatLogLine('{"level":30}')).toBeUndefined();
    expect(formatLogLine('plain text')).toBe('plain text');
  });

  it('writes one text line per JSON line', async () => {
    let written = '';
    const stream = createTextLogStream({ write: (text: string) => ((written += text), true) } as never);
    await new Promise<void>((resolve) =>
      stream.write('{"level":30,"msg":"a"}\n{"level":40,"msg":"b"}\n', () => resolve()),
    );
    expect(written).toBe('a\nwarning: b\n');
  });
});
