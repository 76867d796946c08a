import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/platform/clock.js';
import { createSqliteStores } from '../../src/stores/sqlite/create-sqlite-stores.js';
import { describeStoreContract } from './stores.contract.js';
import type { RotationDecision, RotationState } from '../../src/stores/types.js';
import { newUser, readRotationState, seedFamily, successorOf, T0 } from './suites/fixtures.js';

const tempDir = mkdtempSync(join(tmpdir(), 'tessera-sqlite-'));
let fileCount = 0;
/** A fresh file in a directory that does not exist yet, so the parent is created too. */
const nextFile = (): string => join(tempDir, `run-${(fileCount += 1)}`, 'tessera.db');

afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describeStoreContract('sqlite :memory:', (clock) => createSqliteStores({ path: ':memory:', clock }));
describeStoreContract('sqlite file', (clock) => createSqliteStores({ path: nextFile(), clock }));

describe('sqlite file database', () => {
  const clock = createFixedClock(T0);

  it('keeps the data when reopened, and re-running migrations is a no-op', async () => {
    const path = nextFile();
    const first = await createSqliteStores({ path, clock });
    const { user, token } = await seedFamily(first);
    await first.refreshTokens.rotate(token.id, () => ({ kind: 'revoke-family', reason: 'reuse', at: T0 }));
    await first.close();

    const second = await createSqliteStores({ path, clock });
    expect(await second.users.findById(user.id)).toEqual(user);
    expect((await readRotationState(second, token.id))?.token.revokedAt).toEqual(T0);
    expect((await readRotationState(second, token.id))?.session.revokedReason).toBe('reuse');
    await second.close();

    const raw = new Database(path, { readonly: true });
    const applied = raw.prepare('SELECT name FROM kysely_migration ORDER BY name').all();
    raw.close();
    expect(applied).toEqual([
      { name: '001-initial' },
      { name: '002-key-state-changed-at' },
      { name: '003-oauth-clients' },
      { name: '004-revocation-feed-index' },
      { name: '005-revocation-tombstones' },
      { name: '006-mail-outbox' },
      { name: '007-account-tokens' },
      { name: '008-second-factors' },
      { name: '009-passkeys' },
    ]);
  });

  it('opens with the pragmas the stores rely on', async () => {
    const path = nextFile();
    const stores = await createSqliteStores({ path, clock });
    await stores.users.create(newUser());
    await stores.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('gives one successor when two connections to one file rotate the same token', async () => {
    const path = nextFile();
    const [a, b] = [await createSqliteStores({ path, clock }), await createSqliteStores({ path, clock })];
    const { token } = await seedFamily(a);
    const decide = (state: RotationState): RotationDecision =>
      state.successor !== undefined
        ? { kind: 'reuse-successor' }
        : { kind: 'rotate', successor: successorOf(state.token), at: T0 };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).refreshTokens.rotate(token.id, decide)),
    );
    expect(new Set(results.map((result) => result?.successor?.id)).size).toBe(1);
    expect(results.filter((result) => result?.decision.kind === 'rotate')).toHaveLength(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('answers ping false once closed', async () => {
    const stores = await createSqliteStores({ path: ':memory:', clock });
    await stores.close();
    expect(await stores.ping()).toBe(false);
  });
});
