/**
 * A redis-server of the test's own, on a free loopback port, without persistence: a test may flush or
 * restart it (which it must never do to the shared Redis). Restarting keeps the port, so instances
 * reconnect to a server that has lost every key and has a new run_id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { isRedisReachable } from './services.js';

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: no save, no goodbye) and starts an empty one on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('private redis: no port');
  return address.port;
}

/** Whether a redis-server binary can be run here (the tests that need one skip otherwise). */
export async function redisServerAvailable(): Promise<boolean> {
  const child = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  try {
    const [code] = (await Promise.race([once(child, 'exit'), once(child, 'error').then(() => [1])])) as [
      number | null,
    ];
    return code === 0;
  } catch {
    return false;
  }
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const launch = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    child = started;
    process.once('exit', () => started.kill('SIGKILL'));
    const deadline = performance.now() + START_TIMEOUT_MS;
    while (!(await isRedisReachable(url))) {
      if (started.exitCode !== null || performance.now() > deadline) {
        started.kill('SIGKILL');
        throw new Error(`private redis-server on port ${port} did not start`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  await launch();
  return {
    port,
    url,
    async restart() {
      await kill();
      await launch();
    },
    stop: kill,
  };
}
