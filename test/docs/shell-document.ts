/**
 * Turns the shell blocks of one document into one bash script, run as a reader pastes them into one
 * terminal: in order, in one shell, so a later block uses the variables an earlier one captured.
 * The script stops at the first failing command (`set -euo pipefail`) and an unset variable is an
 * error, so a block that uses `$ACCESS_TOKEN` without showing how to get it fails instead of sending an
 * empty token. A marker before each block says which block failed.
 *
 * The rule for commands that install or start something: a line that only installs (`npm install`,
 * `npm ci`, `npm install <packages>`, `npm i`, `npm add`) or is only `npm start` is not run, because the
 * doc test has done what it does (the repository's dependencies and the package itself are what the
 * examples use, and the test never installs anything; the live server is the one `npm start` starts).
 * A runnable block that starts a server any other way (`PORT=… npm start`, `npm start &`,
 * `tessera serve`) or runs the test suite or a benchmark (`npm test`, `npm run bench:…`) is refused: a
 * second server or minutes of work (and `npm test` would run this test again) have no place here, so
 * such a block must say `no-run` and why.
 */
import type { CodeBlock } from './fenced-blocks.js';
import { substituteServerUrl } from './live-server-url.js';

const DONE_BY_THE_HARNESS = /^\s*npm (?:(?:install|i|ci|add)\b[^;&|#]*|start\s*)(?:#.*)?$/;
const NOT_RUNNABLE = [
  { pattern: /\bnpm (?:test\b|run (?:test\b|bench:))/, why: 'runs the test suite or a benchmark' },
  {
    pattern: /\bnpm (?:run )?start\b|\btessera serve\b|\bmain\.js serve\b/,
    why: 'starts a server of its own',
  },
];

export const BLOCK_MARKER = '### doc block';

/** The .curlrc of the shell blocks (CURL_HOME): an HTTP error status fails the command, as a reader would notice it. */
export const CURLRC = 'fail-with-body\nmax-time = 30\n';

/** The script for these blocks (all of one document, in document order). */
export function shellScript(blocks: readonly CodeBlock[], liveOrigin: string): string {
  const parts = ['set -euo pipefail'];
  for (const block of blocks) {
    const where = `${block.file}:${block.line}`;
    const lines = substituteServerUrl(block.code, liveOrigin)
      .split('\n')
      .map((line) => (DONE_BY_THE_HARNESS.test(line) ? `: done by the doc test: ${line.trim()}` : line));
    const refused = NOT_RUNNABLE.find(({ pattern }) =>
      lines.some((line) => !line.startsWith(': done by the doc test') && pattern.test(line)),
    );
    if (refused !== undefined) throw new Error(`${where}: ${refused.why}; mark it \`no-run <reason>\``);
    parts.push(`printf '%s\\n' '${BLOCK_MARKER} ${where}' >&2`, ...lines);
  }
  return `${parts.join('\n')}\n`;
}

/** Which block a failed run was in: the last marker it printed. */
export function failingBlock(output: string): string {
  const markers = output.split('\n').filter((line) => line.startsWith(BLOCK_MARKER));
  return markers.at(-1)?.slice(BLOCK_MARKER.length + 1) ?? '(before the first block)';
}
