import { Writable } from 'node:stream';

/** pino's numeric levels (pino.levels.values) for the words a person reads. */
const LEVEL_WORDS: Readonly<Record<number, string>> = {
  10: 'trace: ',
  20: 'debug: ',
  30: '',
  40: 'warning: ',
  50: 'error: ',
  60: 'fatal: ',
};

/** One pino JSON line as one readable line: the message, a level word when it is not info, the error. */
export function formatLogLine(line: string): string | undefined {
  let entry: { level?: unknown; msg?: unknown; err?: { message?: unknown } };
  try {
    entry = JSON.parse(line) as typeof entry;
  } catch {
    return line; // not pino's: pass it through untouched
  }
  if (typeof entry.msg !== 'string') return undefined;
  const level = typeof entry.level === 'number' ? (LEVEL_WORDS[entry.level] ?? '') : '';
  const cause = typeof entry.err?.message === 'string' ? `: ${entry.err.message}` : '';
  return `${level}${entry.msg}${cause}`;
}

/**
 * A pino destination for a terminal: each JSON line becomes a short text line (formatLogLine) on
 * `target`. pino writes whole lines, one per write, so no line is ever split across chunks.
 */
export function createTextLogStream(target: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const lines = String(chunk)
        .split('\n')
        .filter((line) => line !== '');
      const text = lines.map(formatLogLine).filter((line) => line !== undefined);
      if (text.length > 0) target.write(`${text.join('\n')}\n`);
      done();
    },
  });
}
