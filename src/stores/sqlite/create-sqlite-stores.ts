import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, type SqliteDatabase } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Stores } from '../types.js';
import type { Database as Schema } from '../sql/database.js';
import { runSqliteMigrations } from './run-sqlite-migrations.js';
import { SqlAccountTokenStore } from '../sql/sql-account-token-store.js';
import { SqlAuditStore } from '../sql/sql-audit-store.js';
import { SqlClientStore } from '../sql/sql-client-store.js';
import { SqlPasskeyStore } from '../sql/sql-passkey-store.js';
import { SqlSigningKeyStore } from '../sql/sql-signing-key-store.js';
import { SqlUserStore } from '../sql/sql-user-store.js';
import { hasSqliteCode, isSqliteUnavailable, isUniqueViolation } from './sqlite-errors.js';
import { translateEveryPort, translateUnavailable } from '../translate-unavailable.js';
import { newMailId } from '../mail-id.js';
import { SqlMailOutbox } from '../sql/sql-mail-outbox.js';
import { SqlEphemeralStore } from '../sql/sql-ephemeral-store.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteSecretStore } from './sqlite-secret-store.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { SqlSecondFactorStore } from '../sql/sql-second-factor-store.js';
import { replaceRecoveryCodesOnSqlite } from './sqlite-recovery-codes.js';

export interface SqliteStoresOptions {
  /** A file path (its directory is created), or ':memory:' for a private database that dies with it. */
  path: string;
  clock: Clock;
  /** Told the names of the migrations this open applied (none when the schema was up to date). */
  onMigrated?: (applied: readonly string[]) => void;
}

/**
 * Opens (or creates) the database, migrates it to the latest schema and returns every port on it.
 *
 * One better-sqlite3 connection serves both Kysely (single statements) and the stores' own
 * synchronous transactions (multi-statement steps such as rotation and revocation). The stores never
 * use Kysely's transaction(): its awaits would let one of those synchronous transactions nest inside it.
 */
export async function createSqliteStores(options: SqliteStoresOptions): Promise<Stores> {
  const raw = openDatabase(options.path);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  try {
    // Not `onMigrated?.(await …)`: optional chaining would skip the migrations when no callback is given.
    const applied = await runSqliteMigrations(raw, db as Kysely<unknown>);
    options.onMigrated?.(applied);
  } catch (error) {
    await db.destroy();
    throw translateUnavailable(error, isSqliteUnavailable);
  }
  // The adapter's boundary: better-sqlite3's and Kysely's "cannot answer now" leave as StoreUnavailableError.
  const ephemeral = new SqlEphemeralStore(db, options.clock);
  const mail = new SqlMailOutbox(db, { clock: options.clock, newId: newMailId, skipLocked: false });
  return translateEveryPort<Stores>(
    {
      mailOutbox: mail,
      mailQueue: mail,
      accountTokens: new SqlAccountTokenStore(db),
      users: new SqlUserStore(db, {
        isEmailTaken: (error) => isUniqueViolation(error, 'users.email'),
        offsetNeedsLimit: true,
      }),
      clients: new SqlClientStore(db, (error) => hasSqliteCode(error, 'SQLITE_CONSTRAINT_PRIMARYKEY')),
      secondFactors: new SqlSecondFactorStore(db, replaceRecoveryCodesOnSqlite(raw)),
      passkeys: new SqlPasskeyStore(db, (error) => isUniqueViolation(error, 'passkeys.credential_id')),
      sessions: new SqliteSessionStore(db, raw),
      refreshTokens: new SqliteRefreshTokenStore(db, raw),
      signingKeys: new SqlSigningKeyStore(db),
      secrets: new SqliteSecretStore(db),
      audit: new SqlAuditStore(db),
      ephemeral,
      lockouts: ephemeral,
      ping: async () => {
        try {
          await sql`select 1`.execute(db);
          return true;
        } catch {
          return false;
        }
      },
      close: () => db.destroy(),
    },
    isSqliteUnavailable,
  );
}

function openDatabase(path: string): Database.Database {
  if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
  // WAL: readers do not block the writer; NORMAL is durable across application crashes in WAL mode.
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  // Wait up to 5 s for another process's write lock instead of failing with SQLITE_BUSY at once.
  raw.pragma('busy_timeout = 5000');
  return raw;
}

/**
 * Kysely's SQLite driver calls prepare() for every query; compiling the same SQL again cost ~10 % of a
 * refresh in bench:http profiles. Kysely emits the same text for the same query shape (values are bound
 * parameters), so a bounded cache of prepared statements by SQL text is safe.
 */
function withStatementCache(raw: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let statement = cache.get(sqlText);
      if (statement === undefined) {
        if (cache.size >= 500) cache.clear();
        statement = raw.prepare(sqlText);
        cache.set(sqlText, statement);
      }
      return statement;
    },
  } as SqliteDatabase;
}
