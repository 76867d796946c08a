import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/platform/clock.js';
import { createPostgresStores } from '../../src/stores/postgres/create-postgres-stores.js';
import { StoreUnavailableError } from '../../src/errors.js';
import { EmailTakenError } from '../../src/stores/types.js';
import type { Clock } from '../../src/platform/clock.js';
import { createTestSchema, postgresUrl, servicesAvailable, withSearchPath } from '../helpers/services.js';
import type { TestSchema } from '../helpers/services.js';
import { describeStoreContract } from './stores.contract.js';
import { newUser, readRotationState, seedFamily, T0 } from './suites/fixtures.js';

/** Every table the migrations create, emptied between contract tests (the schema lives for the file). */
const TABLES =
  'users, sessions, refresh_tokens, signing_keys, secrets, audit_events, ephemeral, oauth_clients, revocation_tombstones, mail_outbox, account_tokens, second_factors, recovery_codes, passkeys';

const available = await servicesAvailable('PostgreSQL store contract', { postgres: true });

describe.skipIf(!available)('postgres', () => {
  let schema: TestSchema;
  const open = (clock: Clock, onMigrated?: (applied: readonly string[]) => void) =>
    createPostgresStores({ url: postgresUrl(), clock, schema: schema.name, poolSize: 5, onMigrated });

  beforeAll(async () => {
    schema = await createTestSchema('tessera_test');
  });

  afterAll(async () => {
    await schema?.drop();
  });

  describeStoreContract('postgres', async (clock) => {
    const stores = await open(clock);
    await schema.query(`TRUNCATE ${TABLES} RESTART IDENTITY`);
    return stores;
  });

  describe('postgres database', () => {
    const clock = createFixedClock(T0);

    it('keeps the data when reopened, and re-running migrations is a no-op', async () => {
      const applied: string[][] = [];
      const first = await open(clock, (names) => applied.push([...names]));
      const { user, token } = await seedFamily(first);
      await first.refreshTokens.rotate(token.id, () => ({ kind: 'revoke-family', reason: 'reuse', at: T0 }));
      await first.close();

      const second = await open(clock, (names) => applied.push([...names]));
      expect(await second.users.findById(user.id)).toEqual(user);
      expect((await readRotationState(second, token.id))?.session.revokedReason).toBe('reuse');
      await second.close();
      // The schema was migrated by the contract's first test already: nothing is left to apply.
      expect(applied).toEqual([[], []]);
      expect(await schema.query('SELECT name FROM kysely_migration ORDER BY name')).toEqual([
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

    it('creates a missing schema and migrates it', async () => {
      const name = `${schema.name}_fresh`;
      const applied: string[] = [];
      const stores = await createPostgresStores({
        url: postgresUrl(),
        clock,
        schema: name,
        onMigrated: (names) => applied.push(...names),
      });
      try {
        await stores.users.create(newUser());
        expect(applied).toEqual([
          '001-initial',
          '002-key-state-changed-at',
          '003-oauth-clients',
          '004-revocation-feed-index',
          '005-revocation-tombstones',
          '006-mail-outbox',
          '007-account-tokens',
          '008-second-factors',
          '009-passkeys',
        ]);
        const tables = await schema.query<{ count: string }>(
          "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'users'",
          [name],
        );
        expect(tables).toEqual([{ count: '1' }]);
      } finally {
        await stores.close();
        await schema.query(`DROP SCHEMA ${name} CASCADE`);
      }
    });

    it('stores times as bigint milliseconds, and parses int8 for its own pool only', async () => {
      const stores = await open(clock);
      const { user } = await seedFamily(stores);
      await stores.close();
      const [row] = await schema.query<{ created_at: string; type: string }>(
        'SELECT created_at, pg_typeof(created_at)::text AS type FROM users WHERE id = $1',
        [user.id],
      );
      expect(row).toEqual({ created_at: String(T0.getTime()), type: 'bigint' });
      expect(pg.types.getTypeParser(20)('42')).toBe('42');
    });

    it('raises EmailTakenError only for the e-mail, not for another unique column', async () => {
      const stores = await open(clock);
      try {
        const user = await stores.users.create(newUser());
        const duplicateId = stores.users.create(newUser({ id: user.id, email: 'other@example.com' }));
        await expect(duplicateId).rejects.not.toBeInstanceOf(EmailTakenError);
        await expect(duplicateId).rejects.toMatchObject({ code: '23505' });
      } finally {
        await stores.close();
      }
    });

    it('answers ping false once closed', async () => {
      const stores = await open(clock);
      await stores.close();
      expect(await stores.ping()).toBe(false);
    });
  });
});

describe('postgres, misconfigured or down', () => {
  const clock = createFixedClock(T0);

  it('fails to open with an error the HTTP edge treats as "unavailable" when nothing listens', async () => {
    const url = 'postgres://postgres@127.0.0.1:1/test';
    const opening = createPostgresStores({ url, clock });
    await expect(opening).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it.each(['Tessera', 'a-b', 'x;drop', '1abc', ''])('refuses the schema name %j', async (schema) => {
    await expect(createPostgresStores({ url: postgresUrl(), clock, schema })).rejects.toThrow(TypeError);
  });

  it('refuses a schema option together with a search_path in the URL', async () => {
    const url = withSearchPath(postgresUrl(), 'other');
    await expect(createPostgresStores({ url, clock, schema: 'tessera' })).rejects.toThrow(TypeError);
  });
});
