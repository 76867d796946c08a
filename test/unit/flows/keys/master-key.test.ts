import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../../../src/config/types.js';
import { reloadKeys } from '../../../../src/flows/keys/reload-keys.js';
import { KEY_RELOAD_INTERVAL_SECONDS, rotateSigningKeys } from '../../../../src/flows/keys/rotate-keys.js';
import { exportPrivateJwk } from '../../../../src/keys/jwk.js';
import { JWKS_MAX_AGE_SECONDS } from '../../../../src/keys/jwks.js';
import { isSealed } from '../../../../src/keys/secret-sealer.js';
import { REFRESH_DERIVATION_SECRET } from '../../../../src/server/create-deps.js';
import { createSqliteStores } from '../../../../src/stores/sqlite/create-sqlite-stores.js';
import { KeyError } from '../../../../src/token/errors.js';
import { createTestDeps, type TestDeps } from '../../../helpers/test-deps.js';
import { principalOf, registerUser } from '../fixtures.js';

const MASTER_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const OTHER_MASTER_KEY = Buffer.alloc(32, 9).toString('base64url');

/** TESSERA_MASTER_KEY: private signing keys and server secrets encrypted at rest (docs/decisions/0016-private-keys-sealed-at-rest.md). */
describe('private keys encrypted at rest with TESSERA_MASTER_KEY (SQLite file)', () => {
  let dir: string;
  let path: string;
  const open: TestDeps[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-master-key-'));
    path = join(dir, 'tessera.db');
  });
  afterEach(async () => {
    for (const deps of open.splice(0)) await deps.stores.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(config: Partial<Config> = {}): Promise<TestDeps> {
    const deps = await createTestDeps({ config, stores: (clock) => createSqliteStores({ path, clock }) });
    open.push(deps);
    return deps;
  }

  async function stop(deps: TestDeps): Promise<void> {
    open.splice(open.indexOf(deps), 1);
    await deps.stores.close();
  }

  /** What is on disk, read with a separate connection, as an attacker with a copy of the file would. */
  function storedRows() {
    const db = new Database(path, { readonly: true });
    try {
      return {
        keys: db.prepare('select kid, private_jwk from signing_keys').all() as Array<{
          kid: string;
          private_jwk: string;
        }>,
        secrets: db.prepare('select name, value from secrets').all() as Array<{
          name: string;
          value: string;
        }>,
      };
    } finally {
      db.close();
    }
  }

  function fileBytes(): Buffer {
    return Buffer.concat(
      [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file)),
    );
  }

  it('never writes a private key or server secret in clear when the master key is set from the start', async () => {
    const deps = await start({ masterKey: MASTER_KEY });
    const privateScalar = exportPrivateJwk(deps.keys.signingKey).d as string;
    const refreshSecret = Buffer.from(deps.refreshDerivationKey).toString('base64url');
    await stop(deps);

    const { keys, secrets } = storedRows();
    expect(keys).toHaveLength(1);
    expect(keys.every((row) => isSealed(row.private_jwk))).toBe(true);
    // The start-up election carries the proposed key, and the refresh secret is a secret: both sealed.
    expect(secrets.map((row) => row.name)).toContain(REFRESH_DERIVATION_SECRET);
    for (const row of secrets) {
      if (row.name === REFRESH_DERIVATION_SECRET) expect(isSealed(row.value)).toBe(true);
      else expect(JSON.parse(row.value).privateJwk).toSatisfy((value: string) => isSealed(value));
    }
    const bytes = fileBytes();
    expect(bytes.includes(privateScalar)).toBe(false);
    expect(bytes.includes(refreshSecret)).toBe(false);
  });

  it('reloads the same key and secret on a restart with the same master key, and tokens keep verifying', async () => {
    const first = await start({ masterKey: MASTER_KEY });
    const principal = principalOf(first, await registerUser(first));
    const user = (await first.stores.users.findById(principal.userId))!;
    const session = (await first.stores.sessions.findById(principal.sessionId!))!;
    const token = first.accessTokens.issue(user, session, first.clock.now()).token;
    const kid = first.keys.signingKey.kid;
    const refreshKey = Buffer.from(first.refreshDerivationKey);
    await stop(first);

    // The same key in another spelling (base64url of the same 32 bytes) opens it too.
    const second = await start({ masterKey: Buffer.from(MASTER_KEY, 'hex').toString('base64url') });
    expect(second.keys.signingKey.kid).toBe(kid);
    expect(Buffer.from(second.refreshDerivationKey).equals(refreshKey)).toBe(true);
    expect(second.accessTokens.verify(token, second.clock.now()).sub).toBe(user.id);
  });

  it('refuses to start without the master key, naming the setting', async () => {
    await stop(await start({ masterKey: MASTER_KEY }));
    const failure = await start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KeyError);
    expect((failure as KeyError).message).toMatch(/is encrypted at rest; set TESSERA_MASTER_KEY/);
    expect(storedRows().keys.every((row) => isSealed(row.private_jwk))).toBe(true);
  });

  it('refuses to start with another master key, and changes nothing stored', async () => {
    await stop(await start({ masterKey: MASTER_KEY }));
    const before = storedRows();
    const failure = await start({ masterKey: OTHER_MASTER_KEY }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KeyError);
    expect((failure as KeyError).message).toMatch(
      /encrypted with another master key than TESSERA_MASTER_KEY/,
    );
    expect(storedRows()).toEqual(before);
  });

  it('seals keys and secrets stored in clear on the first start with a master key, keeping them', async () => {
    const plain = await start();
    const kid = plain.keys.signingKey.kid;
    const privateJwk = exportPrivateJwk(plain.keys.signingKey);
    const refreshKey = Buffer.from(plain.refreshDerivationKey);
    await stop(plain);
    expect(storedRows().keys.every((row) => !isSealed(row.private_jwk))).toBe(true);

    const sealed = await start({ masterKey: MASTER_KEY });
    expect(sealed.keys.signingKey.kid).toBe(kid);
    expect(exportPrivateJwk(sealed.keys.signingKey)).toEqual(privateJwk);
    expect(Buffer.from(sealed.refreshDerivationKey).equals(refreshKey)).toBe(true);
    const { keys, secrets } = storedRows();
    expect(keys.every((row) => isSealed(row.private_jwk))).toBe(true);
    expect(isSealed(secrets.find((row) => row.name === REFRESH_DERIVATION_SECRET)!.value)).toBe(true);
  });

  it('seals keys made by rotation, and the rotated keyring loads them', async () => {
    const deps = await start({ masterKey: MASTER_KEY });
    const first = deps.keys.signingKey.kid;
    const published = await rotateSigningKeys(deps);
    expect(published.action).toBe('published');
    deps.clock.advanceSeconds(JWKS_MAX_AGE_SECONDS + KEY_RELOAD_INTERVAL_SECONDS);
    expect((await rotateSigningKeys(deps)).action).toBe('promoted');
    expect(await reloadKeys(deps)).toBe(true);
    expect(deps.keys.signingKey.kid).not.toBe(first);
    const { keys, secrets } = storedRows();
    expect(keys).toHaveLength(2);
    expect(keys.every((row) => isSealed(row.private_jwk))).toBe(true);
    const publishElection = secrets.find((row) => row.value.includes('"action":"publish"'));
    expect(isSealed(JSON.parse(publishElection!.value).key.privateJwk)).toBe(true);
  });

  it('refuses a sealed key copied onto another key row', async () => {
    const deps = await start({ masterKey: MASTER_KEY });
    await rotateSigningKeys(deps);
    const [a, b] = await deps.stores.signingKeys.list();
    await deps.stores.signingKeys.replacePrivateJwk(b!.kid, a!.privateJwk);
    await stop(deps);
    const failure = await start({ masterKey: MASTER_KEY }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(KeyError);
    expect((failure as KeyError).message).toContain(`signing key ${b!.kid} failed to decrypt`);
  });
});
