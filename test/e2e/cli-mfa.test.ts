/**
 * `tessera users mfa list|reset` against a SQLite file: the operator sees a user's factors (never a
 * secret) and resets them, audited; the next sign-in needs the password only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import type { Deps } from '../../src/flows/deps.js';
import { login } from '../../src/flows/auth/login.js';
import { register } from '../../src/flows/auth/register.js';
import { confirmTotp } from '../../src/flows/mfa/confirm-totp.js';
import { enrolTotp } from '../../src/flows/mfa/enrol-totp.js';
import { decodeBase32 } from '../../src/flows/mfa/base32.js';
import { generateTotp, timeStepAt } from '../../src/flows/mfa/one-time-password.js';
import { systemClock, toNumericDate } from '../../src/platform/clock.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { cryptoRandom } from '../../src/platform/random.js';
import { createDeps } from '../../src/server/create-deps.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import { fastHasher } from '../helpers/test-deps.js';
import { expectCliFailure, expectCliSuccess, runTessera } from '../helpers/cli-runner.js';

const EMAIL = 'mia@example.com';
const PASSWORD = 'correct horse battery staple';
const CONTEXT = { ip: '203.0.113.9', userAgent: 'cli-mfa-e2e' };

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cli-mfa-'));
  dbPath = join(dir, 't.db');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tessera = (args: string[]) =>
  runTessera(args, { env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}`, TESSERA_LOG_LEVEL: 'silent' } });

async function withDeps<T>(work: (deps: Deps) => Promise<T>): Promise<T> {
  const stores = await createSqliteStores({ path: dbPath, clock: systemClock });
  try {
    const deps = await createDeps({
      config: loadConfig({ env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}` } }),
      stores,
      clock: systemClock,
      random: cryptoRandom,
      logger: createSilentLogger(),
      hasher: fastHasher,
    });
    return await work(deps);
  } finally {
    await stores.close();
  }
}

describe('tessera users mfa', { timeout: 60_000 }, () => {
  it('lists nothing for a user without a factor, and refuses an unknown user', async () => {
    await withDeps((deps) => register(deps, { email: EMAIL, password: PASSWORD }, CONTEXT));
    const run = await tessera(['users', 'mfa', 'list', EMAIL]);
    expectCliSuccess(run);
    expect(run.stdout).toBe(`${EMAIL} has no second factor.\n0 recovery code(s) left.\n`);
    expectCliFailure(await tessera(['users', 'mfa', 'list', 'nobody@example.com']), 1, /no such user/i);
    expectCliFailure(await tessera(['users', 'mfa', 'reset']), 2, /missing <email>/);
  });

  it('lists an active factor without its secret, then resets it (audited); the password alone signs in', async () => {
    const secret = await withDeps(async (deps) => {
      const user = (await deps.stores.users.findByEmail(EMAIL))!;
      const principal = { userId: user.id, sessionId: 'none', roles: [], kind: 'jwt', claims: null } as const;
      const enrolment = await enrolTotp(deps, principal);
      const step = timeStepAt(toNumericDate(deps.clock.now()));
      await confirmTotp(
        deps,
        principal,
        { code: generateTotp(decodeBase32(enrolment.secret)!, step) },
        CONTEXT,
      );
      await expect(login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT)).rejects.toMatchObject({
        code: 'mfa_required',
      });
      return enrolment.secret;
    });
    const list = await tessera(['users', 'mfa', 'list', EMAIL, '--json']);
    expectCliSuccess(list);
    const listed = JSON.parse(list.stdout) as {
      factors: Array<Record<string, unknown>>;
      recovery_codes_remaining: number;
    };
    expect(listed.recovery_codes_remaining).toBe(10);
    expect(listed.factors).toEqual([
      expect.objectContaining({ kind: 'totp', confirmed_at: expect.any(String) }),
    ]);
    expect(list.stdout).not.toContain(secret);

    const reset = await tessera(['users', 'mfa', 'reset', EMAIL]);
    expectCliSuccess(reset);
    expect(reset.stdout).toBe(`Removed 1 second factor(s) of ${EMAIL}; its recovery codes are void.\n`);
    await withDeps(async (deps) => {
      const pair = await login(deps, { email: EMAIL, password: PASSWORD }, CONTEXT);
      expect(pair.accessToken).toBeTruthy();
      const audit = await deps.stores.audit.list({ type: 'factor_removed' });
      expect(audit[0]).toMatchObject({ detail: { all: true, removed: 1, actor: 'cli' } });
    });
  });
});
