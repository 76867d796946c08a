import type { Kysely, Migration } from 'kysely';

/**
 * An index on sessions (revoked_at, id) for the revocation feed (GET /auth/revocations), which reads
 * the sessions revoked after a cursor in that order. Without it every poll of every verifier would scan
 * the whole sessions table. The same statement on SQLite and PostgreSQL.
 */
export const revocationFeedIndexMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('sessions_revoked_at_idx')
      .on('sessions')
      .columns(['revoked_at', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('sessions_revoked_at_idx').execute();
  },
};
