import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';

/** What the numbers were measured on; results from different machines are not comparable. */
export interface MachineInfo {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
}

export function describeMachine(): MachineInfo {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown CPU',
    cores: cores.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
  };
}

/**
 * The 1-minute load average. Other processes competing for the cores skew every row, the middleware
 * rows most (server and load generator need a core each), so it is printed and saved at both ends.
 */
export function currentLoad(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
