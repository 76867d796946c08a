/**
 * Runs the `tessera` CLI and checks its answers the way a script would see them: exit code, stdout,
 * one line on stderr. Two ways, with the same inputs and the same result:
 * - `runTessera`: in this process (`runCli` from src/cli/run-cli.ts). Fast on any machine: a child
 *   process compiles and loads ~200 modules (about a second of CPU, many on a loaded machine).
 * - `runTesseraProcess`: a real child process (`node --import tsx src/cli/main.ts …`, no build
 *   needed), for the few tests that prove the exit status and the streams reach a real process.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');
// By URL, not by name: a bare `--import tsx` resolves from the child's cwd, which may be any folder.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** The TESSERA_* variables the command sees: exactly these, none of the caller's. */
  env: Record<string, string>;
  /** What stdin holds; it is closed after it (empty by default), so nothing waits on it. */
  input?: string;
}

/** Variables the CLI reads that the caller's environment must not leak into a run. */
const isCliVariable = (name: string) =>
  name.startsWith('TESSERA_') || name === 'NO_COLOR' || name === 'FORCE_COLOR';

/** A non-terminal stream that keeps what is written, as a pipe to a script would. */
function captureStream(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}

/** Swaps one of process.stdin/stdout/stderr for the duration of a run; returns the undo. */
function replaceStdio(name: 'stdin' | 'stdout' | 'stderr', stream: Readable | Writable): () => void {
  const original = Object.getOwnPropertyDescriptor(process, name)!;
  Object.defineProperty(process, name, { configurable: true, enumerable: true, get: () => stream });
  return () => Object.defineProperty(process, name, original);
}

/** Swaps the CLI's variables in process.env for `env`; returns the undo. */
function replaceCliEnv(env: Record<string, string>): () => void {
  const saved = Object.entries(process.env).filter(([name]) => isCliVariable(name));
  for (const [name] of saved) delete process.env[name];
  Object.assign(process.env, env);
  return () => {
    for (const name of Object.keys(process.env)) if (isCliVariable(name)) delete process.env[name];
    for (const [name, value] of saved) process.env[name] = value;
  };
}

// The CLI reads the process's streams and environment, so in-process runs take turns.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `tessera <args>` in this process: stdin, stdout and stderr are pipes (not terminals, so no
 * colour and no prompts) and the environment carries exactly `env`'s TESSERA_* variables. Runs are
 * serialised, so tests may still start them concurrently.
 */
export function runTessera(args: string[], options: CliOptions): Promise<CliRun> {
  const run = queue.then(async () => {
    const stdout = captureStream();
    const stderr = captureStream();
    const undo = [
      replaceCliEnv(options.env),
      replaceStdio('stdin', Readable.from([Buffer.from(options.input ?? '')])),
      replaceStdio('stdout', stdout.stream),
      replaceStdio('stderr', stderr.stream),
    ];
    try {
      const code = await runCli(args);
      return { code, stdout: stdout.text(), stderr: stderr.text() };
    } finally {
      for (const restore of undo.reverse()) restore();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs `tessera <args>` as a child process with exactly the TESSERA_* variables given in `env` (none
 * of the caller's, and no NO_COLOR/FORCE_COLOR, so output is what a pipe gets); stdin gets `input`
 * (or nothing) and is closed, so nothing waits on it. It runs in the repository root unless `cwd`
 * says otherwise (the in-process runner cannot change folder: use this one for that).
 */
export function runTesseraProcess(args: string[], options: CliOptions & { cwd?: string }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!isCliVariable(name)) env[name] = value;
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
