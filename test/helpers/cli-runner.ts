/**
 * Runs the `tessera` CLI as a child process (`node --import tsx src/cli/main.ts …`, no build needed)
 * and checks its answers the way a script would see them: exit code, stdout, one line on stderr.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
// By URL, not by name: a bare `--import tsx` resolves from the child's cwd, which may be any folder.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `tessera <args>` with exactly the TESSERA_* variables given in `env` (none of the caller's, and
 * no NO_COLOR/FORCE_COLOR, so output is what a pipe gets); stdin gets `input` (or nothing) and is
 * closed, so nothing waits on it. It runs in the repository root unless `cwd` says otherwise.
 */
export function runTessera(
  args: string[],
  options: { env: Record<string, string>; input?: string; cwd?: string },
): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('TESSERA_') && name !== 'NO_COLOR' && name !== 'FORCE_COLOR') env[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** A failed run: the exit code, and exactly one `tessera: …` line on stderr (no stack trace). */
export function expectCliFailure(run: CliRun, code: number, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^tessera: /);
  expect(lines[0]).toMatch(pattern);
}

export function expectCliSuccess(run: CliRun): void {
  expect(run.code, run.stderr).toBe(0);
}
