/**
 * runCli (src/cli/run-cli.ts): `tessera <argv>` in-process, as main.ts and the CLI tests call it. It resolves with the exit
 * status and never rejects; the in-process runner (test/helpers/cli-runner.ts) gives each run exactly
 * its own TESSERA_* variables and pipes, and puts the caller's back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectCliFailure, runTessera } from '../../helpers/cli-runner.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('runCli', () => {
  it('resolves with the status of a failure and writes its one line, instead of rejecting', async () => {
    const run = await runTessera(['users', 'list', '--json'], { env: { TESSERA_PORT: 'abc' } });
    expectCliFailure(run, 78, /^tessera: configuration error: TESSERA_PORT: /);
    expect(run.stdout).toBe('');
  });

  it('answers an unknown command with exit 2 and no command loaded', async () => {
    expectCliFailure(await runTessera(['frobnicate'], { env: {} }), 2, /unknown command "frobnicate"/);
  });
});

describe('the in-process runner', () => {
  it("hides the caller's TESSERA_* variables from the run and restores them after", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-run-cli-'));
    try {
      const env = { TESSERA_DATABASE_URL: `sqlite:${join(dir, 't.db')}`, TESSERA_LOG_LEVEL: 'silent' };
      // The CLI creates no database outside migrate and serve.
      expect((await runTessera(['migrate'], { env })).code).toBe(0);
      vi.stubEnv('TESSERA_PORT', 'not a port');
      const run = await runTessera(['users', 'list', '--json'], { env });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual([]);
      expect(process.env.TESSERA_PORT).toBe('not a port');
      expect(process.env.TESSERA_DATABASE_URL).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('restores the real streams, and serialises concurrent runs', async () => {
    const stdout = process.stdout;
    const runs = await Promise.all(
      ['--help', 'frobnicate', '--help'].map((arg) => runTessera([arg], { env: {} })),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 2, 0]);
    expect(runs[0]!.stdout).toMatch(/^Usage: tessera <command>/);
    expect(runs[1]!.stdout).toBe('');
    expect(process.stdout).toBe(stdout);
  });
});
