/**
 * TESSERA_MASTER_KEY as an operator meets it: the CLI (which loads the keys as `tessera serve` does)
 * works with the key, and without it or with another key ends with one line naming the variable.
 * Commands run in-process (runCli, see test/helpers/cli-runner.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSealed } from '../../src/keys/secret-sealer.js';
import { systemClock } from '../../src/platform/clock.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import { expectCliFailure, expectCliSuccess, runTessera, type CliRun } from '../helpers/cli-runner.js';

/** Each run opens the database (and some hash with argon2id): a bound for a loaded machine, not a pace. */
const IN_PROCESS_TIMEOUT_MS = 60_000;

const MASTER_KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-cli-master-key-'));
  dbPath = join(dir, 't.db');
  // The CLI never creates a database (only serve and migrate do): create it as a first start would.
  await (await createSqliteStores({ path: dbPath, clock: systemClock })).close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function tessera(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runTessera(args, {
    env: { TESSERA_DATABASE_URL: `sqlite:${dbPath}`, TESSERA_LOG_LEVEL: 'silent', ...env },
  });
}

describe('tessera with TESSERA_MASTER_KEY', { timeout: IN_PROCESS_TIMEOUT_MS }, () => {
  it('generates a sealed key on first use and lists it with the master key', async () => {
    const list = await tessera(['keys', 'list', '--json'], { TESSERA_MASTER_KEY: MASTER_KEY });
    expectCliSuccess(list);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ state: 'current', signing: true })]);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare('select private_jwk from signing_keys').all() as { private_jwk: string }[];
    db.close();
    expect(rows).toHaveLength(1);
    expect(isSealed(rows[0]!.private_jwk)).toBe(true);
  });

  it('refuses without the master key, in one line naming the variable', async () => {
    expectCliFailure(
      await tessera(['keys', 'list']),
      1,
      /^tessera: key_invalid: The stored signing key \S+ is encrypted at rest; set TESSERA_MASTER_KEY/,
    );
  });

  it('refuses another master key, in one line', async () => {
    expectCliFailure(
      await tessera(['keys', 'export-public'], {
        TESSERA_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      }),
      1,
      /encrypted with another master key than TESSERA_MASTER_KEY/,
    );
  });

  it('refuses a malformed master key as a configuration error (exit 78)', async () => {
    expectCliFailure(
      await tessera(['keys', 'list'], { TESSERA_MASTER_KEY: 'too-short' }),
      78,
      /configuration error: TESSERA_MASTER_KEY: must be 32 bytes .*\(value hidden\)/,
    );
  });
});
