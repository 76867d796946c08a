/**
 * Runs `tessera serve` as a real child process (`node --import tsx src/cli/main.ts serve`, no build
 * needed) on an ephemeral loopback port and waits for its start-up log line. Every child is tracked and
 * killed when the test process exits, and exits by itself if the test process dies (exit-with-parent.ts),
 * so a failing test never leaves a server behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export interface Instance {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Everything the child wrote so far (capped), for failure messages. */
  output(): string;
  /** How the process ended, or undefined while it runs. */
  exitStatus(): { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** Sends a signal and resolves when the process has exited (immediately when it already has). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (graceful: finishes in-flight requests, closes the stores), SIGKILL after a timeout. */
  stop(): Promise<void>;
}

export interface SpawnInstanceOptions {
  /** TESSERA_* variables; TESSERA_DATABASE_URL is required (never the default ./data file). */
  env: Record<string, string>;
  /**
   * How long to wait for the start-up line; default 60 s. A bound, not a pace: a child compiles and
   * loads the server (about a second of CPU), many seconds on a loaded machine.
   */
  startTimeoutMs?: number;
  /** Short name used in messages (A, B, C…). */
  name?: string;
  /** A port chosen by the caller (one it knows to be free); default 0, an ephemeral port. */
  port?: number;
}

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const EXIT_WITH_PARENT = new URL('./exit-with-parent.ts', import.meta.url).href;
const LISTENING = /^Tessera listening on (http:\/\/127\.0\.0\.1:(\d+))\b/;
const OUTPUT_CAP = 64 * 1024;
/** How long a graceful stop (SIGTERM) may take before SIGKILL. */
const STOP_TIMEOUT_MS = 10_000;
/** How long kill() waits for the process to be gone: a graceful exit on a loaded machine is slow. */
const EXIT_WAIT_MS = 60_000;

const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return true;
  const timer = new Promise<false>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  return Promise.race([once(child, 'exit').then(() => true), timer]);
}

/** The child's environment: this process's, minus every TESSERA_* it happens to carry, plus `env`. */
function childEnv(env: Record<string, string>, port: number): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('TESSERA_')));
  return {
    ...base,
    NODE_ENV: 'test',
    TESSERA_HOST: '127.0.0.1',
    TESSERA_LOG_LEVEL: 'info',
    ...env,
    TESSERA_PORT: String(port),
  };
}

/** Starts one instance; rejects with its captured output when it exits or stays silent too long. */
export async function spawnInstance(options: SpawnInstanceOptions): Promise<Instance> {
  if (options.env.TESSERA_DATABASE_URL === undefined) {
    throw new TypeError('spawnInstance: env.TESSERA_DATABASE_URL is required');
  }
  installExitHook();
  const name = options.name ?? 'instance';
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', EXIT_WITH_PARENT, MAIN, 'serve'], {
    cwd: REPO_ROOT,
    env: childEnv(options.env, options.port ?? 0),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));

  let captured = '';
  const capture = (chunk: Buffer) => {
    captured += chunk.toString('utf8');
    if (captured.length > OUTPUT_CAP) captured = captured.slice(-OUTPUT_CAP);
  };
  child.stderr!.on('data', capture);

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    if (exited(child)) return;
    child.kill(signal);
    await waitForExit(child, EXIT_WAIT_MS);
  };

  const port = await new Promise<number>((resolve, reject) => {
    let pending = '';
    let settled = false;
    const settle = (error: Error | undefined, value?: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error === undefined) resolve(value!);
      else {
        child.kill('SIGKILL');
        reject(error);
      }
    };
    const fail = (why: string) =>
      new Error(`tessera serve (${name}) ${why}; its output:\n${captured.trim() || '(nothing)'}`);
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const timer = setTimeout(() => settle(fail(`did not start within ${timeoutMs} ms`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      capture(chunk);
      if (settled) return;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const message = parseLogMessage(line);
        const match = message === undefined ? null : LISTENING.exec(message);
        if (match !== null) settle(undefined, Number(match[2]));
      }
    });
    child.once('error', (error) => settle(fail(`could not be spawned (${error.message})`)));
    child.once('exit', (code, signal) => settle(fail(`exited early (code ${code}, signal ${signal})`)));
  });

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    output: () => captured,
    exitStatus: () => (exited(child) ? { code: child.exitCode, signal: child.signalCode } : undefined),
    kill,
    async stop() {
      if (exited(child)) return;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) await kill('SIGKILL');
    },
  };
}

/** The `msg` of a pino JSON line, the line itself in text mode (TESSERA_LOG_FORMAT=text). */
function parseLogMessage(line: string): string | undefined {
  if (!line.startsWith('{')) return line;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown };
    return typeof parsed.msg === 'string' ? parsed.msg : undefined;
  } catch {
    return undefined;
  }
}

/** Stops every instance still running (for afterAll/afterEach). */
export async function stopAllInstances(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      if (exited(child)) return;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, STOP_TIMEOUT_MS);
      }
    }),
  );
}
