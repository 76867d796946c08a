/**
 * Runs one command for the doc test, in its own process group so that a block that hangs (or leaves a
 * child behind) is killed whole at the deadline; resolves with what it printed and how it ended.
 * startProcess leaves it running (a server example) until stop().
 */
import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly output: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

export interface RunningProcess {
  /** What it printed so far. */
  output(): string;
  /** Whether it has ended (by itself, at the deadline or by stop()). */
  ended(): boolean;
  /** Resolves when it has ended. */
  readonly result: Promise<ProcessResult>;
  /** Ends the whole process group (SIGTERM, then SIGKILL after a grace period) and waits for it. */
  stop(): Promise<ProcessResult>;
}

const STOP_GRACE_MS = 10_000;

export function startProcess(command: string, args: readonly string[], options: RunOptions): RunningProcess {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let timedOut = false;
  let ended = false;
  const append = (chunk: Buffer) => (output += chunk.toString('utf8'));
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const killGroup = () => signalGroup('SIGKILL');
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, options.timeoutMs);
  process.once('exit', killGroup);
  const result = new Promise<ProcessResult>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      ended = true;
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      ended = true;
      process.off('exit', killGroup);
      killGroup(); // background children a block started (`cmd &`) end with it
      resolve({ code, signal, timedOut, output });
    });
  });
  return {
    output: () => output,
    ended: () => ended,
    result,
    async stop() {
      if (!ended) {
        signalGroup('SIGTERM');
        const force = setTimeout(killGroup, STOP_GRACE_MS);
        await result.catch(() => undefined).finally(() => clearTimeout(force));
      }
      return result;
    },
  };
}

export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<ProcessResult> {
  return startProcess(command, args, options).result;
}
