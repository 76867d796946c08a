/**
 * `tessera users verify-email` and `tessera users send-reset` end to end against a SQLite file:
 * the commands run in-process through the CLI runner; the server's flows read the result.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { createUser } from '../../src/flows/admin/user-admin.js';
import { login } from '../../src/flows/auth/login.js';
import type { Deps } from '../../src/flows/deps.js';
import { createArgon2Hasher } from '../../src/platform/argon2-password-hasher.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import { expectCliFailure, expectCliSuccess, runTessera } from '../helpers/cli-runner.js';

const EMAIL = 'ada@example.com';
const PASSWORD = 'correct horse battery staple';
const ENV = { TESSERA_EMAIL_VERIFICATION: 'required', TESSERA_LOG_LEVEL: 'silent' };

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cli-recovery-'));
  dbPath = join(dir, 't.db');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tessera = (args: string[]) =>
  runTessera(args, { env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}`, ...ENV } });

async function withServerDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const stores = await createSqliteStores({ path: dbPath, clock: systemClock });
  try {
    const deps = await createDeps({
      config: loadConfig({ env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}`, ...ENV } }),
      stores,
      clock: systemClock,
      random: cryptoRandom,
      logger: createSilentLogger(),
      hasher: createArgon2Hasher(),
    });
    return await work(deps);
  } finally {
    await stores.close();
  }
}

const signIn = () =>
  withServerDeps((deps) => login(deps, { email: EMAIL, password: PASSWORD }, { ip: null, userAgent: null }));

describe('tessera users verify-email | send-reset', { timeout: 120_000 }, () => {
  it('verify-email lets an unverified account sign in under `required`, by e-mail or id', async () => {
    const created = await withServerDeps((deps) => createUser(deps, { email: EMAIL, password: PASSWORD }));
    await expect(signIn()).rejects.toMatchObject({ code: 'email_not_verified' });
    const run = await tessera(['users', 'verify-email', created.id, '--json']);
    expectCliSuccess(run);
    expect(JSON.parse(run.stdout)).toMatchObject({ email: EMAIL, email_verified: true });
    await signIn();
    const again = await tessera(['users', 'verify-email', EMAIL]);
    expectCliSuccess(again);
    expect(again.stdout).toBe(`Verified ${EMAIL}.\n`);
  });

  it('send-reset queues a reset link for the user (audited) and never prints it', async () => {
    const run = await tessera(['users', 'send-reset', EMAIL]);
    expectCliSuccess(run);
    expect(run.stdout).toBe(`Queued a password-reset link for ${EMAIL}.\n`);
    expect(run.stdout + run.stderr).not.toMatch(/token=/);
    const rows = await withServerDeps(async (deps) => {
      const user = await deps.stores.users.findByEmail(EMAIL);
      const audit = await deps.stores.audit.list({ userId: user?.id, type: 'password_reset_requested' });
      return audit;
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.detail).toEqual({ by: 'operator' });
  });

  it('fails with user_not_found for an unknown e-mail or id, and with usage errors without one', async () => {
    expectCliFailure(await tessera(['users', 'send-reset', 'nobody@example.com']), 1, /user_not_found/);
    expectCliFailure(await tessera(['users', 'verify-email', 'no-such-id']), 1, /user_not_found/);
    expectCliFailure(await tessera(['users', 'verify-email']), 2, /missing <email\|id>/);
  });
});
