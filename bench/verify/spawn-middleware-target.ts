import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MiddlewareKind } from './middleware-kinds.js';

export interface RunningMiddlewareTarget {
  readonly kind: MiddlewareKind;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./middleware-target.ts', import.meta.url));
const START_TIMEOUT_MS = 30_000;

/** Starts middleware-target.ts in a child process and waits for its { port } line. */
export async function spawnMiddlewareTarget(
  kind: MiddlewareKind,
  jwksUrl: string,
): Promise<RunningMiddlewareTarget> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, kind, jwksUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`middleware target ${kind} did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      resolve((JSON.parse(buffered.slice(0, newline)) as { port: number }).port);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`middleware target ${kind} exited before it was ready`));
    });
  });
  return {
    kind,
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
