import { createInterface } from 'node:readline/promises';
import { InterruptedError } from './errors.js';

/** Everything on stdin, as text (for --password-stdin and `-` arguments). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** True when a person can answer prompts: stdin and stderr (where prompts go) are terminals. */
export function canPrompt(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/**
 * Asks for a secret on the terminal without echoing it: raw mode, so the characters never reach the
 * screen (or the scrollback). Backspace edits; Enter ends; Ctrl-C interrupts.
 */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      const chars = [...chunk];
      for (const [index, char] of chars.entries()) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          // Typed ahead or pasted: what follows Enter belongs to the next prompt, so it goes back.
          const rest = chars.slice(index + 1).join('');
          return finish(() => {
            if (rest !== '') stdin.unshift(rest, 'utf8');
            resolve(value);
          });
        }
        if (char === '\u0003') return finish(() => reject(new InterruptedError()));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char; // other control characters (arrows' escapes…) are dropped
      }
    };
    process.stderr.write(question);
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** A yes/no question on the terminal; only "y" or "yes" is yes. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
