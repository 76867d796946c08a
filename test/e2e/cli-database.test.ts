/**
 * @see issue #12: run outside the server's folder, every CLI command created a new ./data/tessera.db
 * with a new signing key and answered from it. Only `serve` and `migrate` may create the database; the
 * CLI finds it through the same configuration (file and environment) as the server.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { login } from '../../src/flows/auth/login.js';
import { register } from '../../src/flows/auth/register.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { openStores } from '../../src/server/open-stores.js';
import { expectCliFailure, expectCliSuccess, runTessera, runTesseraProcess } from '../helpers/cli-runner.js';
import { fastHasher } from '../helpers/test-deps.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cli-database-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const QUIET = { TESSERA_LOG_LEVEL: 'silent' };
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the CLI never creates a database', () => {
  it.each([
    ['users', 'list'],
    ['keys', 'export-public'],
    ['keys', 'list'],
    ['sessions', 'list', 'ada@example.com'],
    ['clients', 'list'],
  ])(
    '%s %s with no database at the configured path: exit 78, names the path, creates nothing',
    async (...args) => {
      const expected = join(dir, 'missing', 'tessera.db');
      const run = await runTessera(args, { env: { ...QUIET, TESSERA_DATABASE_URL: `sqlite:${expected}` } });
      expectCliFailure(
        run,
        78,
        new RegExp(
          `^tessera: configuration error: TESSERA_DATABASE_URL: no Tessera database at ${escape(expected)}; set TESSERA_DATABASE_URL or run where the server runs`,
        ),
      );
      expect(existsSync(join(dir, 'missing'))).toBe(false);
    },
  );

  it('run in a folder without one (the default ./data/tessera.db): exit 78, creates nothing', async () => {
    // A real process: the default path is relative to the working folder, which only a child can change.
    const run = await runTesseraProcess(['users', 'list'], { env: QUIET, cwd: dir });
    const expected = join(dir, 'data', 'tessera.db');
    expectCliFailure(run, 78, new RegExp(`no Tessera database at ${escape(expected)};`));
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('refuses a TESSERA_DATABASE_URL file that does not exist, and leaves it absent', async () => {
    const path = join(dir, 'elsewhere.db');
    const run = await runTessera(['users', 'list'], {
      env: { ...QUIET, TESSERA_DATABASE_URL: `sqlite:${path}` },
    });
    expectCliFailure(run, 78, new RegExp(`no Tessera database at ${escape(path)};`));
    expect(existsSync(path)).toBe(false);
  });

  it('migrate creates it; then the other commands use it', async () => {
    const env = { ...QUIET, TESSERA_DATABASE_URL: `sqlite:${join(dir, 'made.db')}` };
    expectCliSuccess(await runTessera(['migrate'], { env }));
    const list = await runTessera(['users', 'list', '--json'], { env });
    expectCliSuccess(list);
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it('finds the database through a config file, as the server does (--config and TESSERA_CONFIG_FILE)', async () => {
    const path = join(dir, 'from-file.db');
    const file = join(dir, 'tessera.json');
    await writeFile(file, JSON.stringify({ databaseUrl: `sqlite:${path}` }));
    expectCliFailure(
      await runTessera(['users', 'list', '--config', file], { env: QUIET }),
      78,
      /from-file\.db/,
    );
    expectCliSuccess(await runTessera(['migrate', '--config', file], { env: QUIET }));
    expectCliSuccess(await runTesseraProcess(['users', 'list', '--config', file], { env: QUIET, cwd: dir }));
    const viaEnv = await runTesseraProcess(['users', 'list', '--json'], {
      env: { ...QUIET, TESSERA_CONFIG_FILE: file },
      cwd: dir,
    });
    expectCliSuccess(viaEnv);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});

/** @see issue #12: users list showed an account the server had locked out as active, with 0 failures. */
describe('users list sees the lockouts of the server that shares its database', () => {
  it('failed sign-ins and the automatic lock, then unlock clears them', async () => {
    const env = { ...QUIET, TESSERA_DATABASE_URL: `sqlite:${join(dir, 'lockout.db')}` };
    const email = 'ada@example.com';
    // The stores exactly as `tessera serve` opens them (no Redis), in this process.
    const config = loadConfig({ env });
    const { stores, revocations } = await openStores(config, systemClock);
    try {
      const deps = await createDeps({
        config,
        stores,
        revocations,
        clock: systemClock,
        random: cryptoRandom,
        logger: createSilentLogger(),
        hasher: fastHasher,
      });
      const context = { ip: '203.0.113.9', userAgent: 'cli-e2e' };
      await register(deps, { email, password: 'correct horse battery staple' }, context);
      for (let failure = 0; failure < config.lockout.threshold; failure++) {
        await login(deps, { email, password: 'not the password' }, context).catch(() => undefined);
      }
    } finally {
      await stores.close();
    }

    const list = await runTessera(['users', 'list', '--json'], { env });
    expectCliSuccess(list);
    const [user] = JSON.parse(list.stdout) as { failed_login_count: number; locked_until: string | null }[];
    expect(user!.failed_login_count).toBe(config.lockout.threshold);
    expect(Date.parse(user!.locked_until!)).toBeGreaterThan(Date.now());
    const table = await runTessera(['users', 'list'], { env });
    expect(table.stdout).toMatch(/ada@example\.com\s+-\s+locked until \S+\s+5\s/);

    expectCliSuccess(await runTessera(['users', 'unlock', email], { env }));
    const after = await runTessera(['users', 'list', '--json'], { env });
    expect(JSON.parse(after.stdout)).toEqual([
      expect.objectContaining({ failed_login_count: 0, locked_until: null }),
    ]);
  }, 120_000); // four CLI processes: generous on a loaded machine
});
