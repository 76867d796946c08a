import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface TargetInfo {
  port: number;
  accessToken: string;
  sessionToken?: string;
  refreshTokens?: string[];
  email?: string;
  password?: string;
}

export interface RunningTarget extends TargetInfo {
  url: string;
  stop(): Promise<void>;
}

const ENTRY = fileURLToPath(new URL('./target-server.ts', import.meta.url));

/** Starts target-server.ts in a child process (loopback, ephemeral port) and waits for its ready line. */
export async function spawnTarget(
  name: string,
  refreshChains = 0,
  env: Record<string, string> = {},
): Promise<RunningTarget> {
  // BENCH_CPU_PROF_DIR=<dir> writes a V8 CPU profile of each target when it stops (to find hot spots).
  const profileDir = process.env.BENCH_CPU_PROF_DIR;
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', ENTRY, name, String(refreshChains)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    },
  );
  const info = await new Promise<TargetInfo>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`target ${name} did not start within 60 s`)), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buffered.slice(0, newline)) as TargetInfo);
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`target ${name} exited with ${String(code)} before it was ready`)),
    );
  });
  return {
    ...info,
    url: `http://127.0.0.1:${info.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
