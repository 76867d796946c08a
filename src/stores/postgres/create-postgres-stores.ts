import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Stores } from '../types.js';
import { createPostgresPool } from './create-postgres-pool.js';
import type { Database } from '../sql/database.js';
import { SqlAccountTokenStore } from '../sql/sql-account-token-store.js';
import { SqlAuditStore } from '../sql/sql-audit-store.js';
import { SqlClientStore } from '../sql/sql-client-store.js';
import { SqlPasskeyStore } from '../sql/sql-passkey-store.js';
import { SqlSigningKeyStore } from '../sql/sql-signing-key-store.js';
import { SqlUserStore } from '../sql/sql-user-store.js';
import { isPostgresUnavailable, isUniqueViolation } from './postgres-errors.js';
import { translateEveryPort, translateUnavailable } from '../translate-unavailable.js';
import { newMailId } from '../mail-id.js';
import { SqlMailOutbox } from '../sql/sql-mail-outbox.js';
import { SqlEphemeralStore } from '../sql/sql-ephemeral-store.js';
import { replaceRecoveryCodesInTransaction, SqlSecondFactorStore } from '../sql/sql-second-factor-store.js';
import { PostgresRefreshTokenStore } from './postgres-refresh-token-store.js';
import { PostgresSecretStore } from './postgres-secret-store.js';
import { PostgresSessionStore } from './postgres-session-store.js';
import { runPostgresMigrations } from './run-postgres-migrations.js';

export interface PostgresStoresOptions {
  /** A libpq-style URL, e.g. postgres://user:password@host:5432/database. */
  url: string;
  clock: Clock;
  /** Connections in this instance's pool (default 10). Every instance opens its own. */
  poolSize?: number;
  /**
   * Keep Tessera's tables in this schema (created when missing) instead of the connection's default.
   * Without it, a `search_path` given in the URL (`?options=-c search_path=…`) decides, as usual.
   */
  schema?: string;
  /** Told the names of the migrations this open applied (none when the schema was up to date). */
  onMigrated?: (applied: readonly string[]) => void;
}

const DEFAULT_POOL_SIZE = 10;
/** /readyz must answer quickly even when the database hangs: past this, ping() says false. */
const PING_TIMEOUT_MS = 2_000;

/**
 * Connects a pool, migrates the database to the latest schema and returns every port on it. Many
 * instances may share one database: multi-statement steps (rotation, revocation) are transactions with
 * row locks, and single-statement ones are atomic upserts.
 */
export async function createPostgresStores(options: PostgresStoresOptions): Promise<Stores> {
  const pool = createPostgresPool({
    url: options.url,
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    ...(options.schema !== undefined && { schema: options.schema }),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    // Not `onMigrated?.(await …)`: optional chaining would skip the migrations when no callback is given.
    const applied = await runPostgresMigrations(db as Kysely<unknown>, options.schema);
    options.onMigrated?.(applied);
  } catch (error) {
    await db.destroy();
    throw translateUnavailable(error, isPostgresUnavailable);
  }
  // The adapter's boundary: pg's and Kysely's "cannot answer now" leave as StoreUnavailableError.
  const ephemeral = new SqlEphemeralStore(db, options.clock);
  const mail = new SqlMailOutbox(db, { clock: options.clock, newId: newMailId, skipLocked: true });
  return translateEveryPort<Stores>(
    {
      mailOutbox: mail,
      mailQueue: mail,
      // PostgreSQL names the UNIQUE constraint on users.email users_email_key (see postgres-errors.ts).
      accountTokens: new SqlAccountTokenStore(db),
      users: new SqlUserStore(db, {
        isEmailTaken: (error) => isUniqueViolation(error, 'users_email_key'),
        offsetNeedsLimit: false,
      }),
      clients: new SqlClientStore(db, (error) => isUniqueViolation(error, 'oauth_clients_pkey')),
      secondFactors: new SqlSecondFactorStore(db, replaceRecoveryCodesInTransaction(db)),
      passkeys: new SqlPasskeyStore(db, (error) => isUniqueViolation(error, 'passkeys_credential_id_key')),
      sessions: new PostgresSessionStore(db),
      refreshTokens: new PostgresRefreshTokenStore(db),
      signingKeys: new SqlSigningKeyStore(db),
      secrets: new PostgresSecretStore(db),
      audit: new SqlAuditStore(db),
      ephemeral,
      lockouts: ephemeral,
      ping: () => pingWithin(db, PING_TIMEOUT_MS),
      // Ends the pool once the connections in use are released.
      close: () => db.destroy(),
    },
    isPostgresUnavailable,
  );
}

async function pingWithin(db: Kysely<Database>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  // Settles to a boolean either way, so a query that fails after the timeout is not an unhandled rejection.
  const answered = sql`select 1`.execute(db).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
