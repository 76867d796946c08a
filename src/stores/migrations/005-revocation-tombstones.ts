import type { Kysely, Migration } from 'kysely';

/**
 * What the revocation feed must still list after the rows are gone: deleting a user cascades to its
 * sessions, and a revoked session that vanishes from `sessions` would vanish from GET /auth/revocations
 * while its access tokens are still alive. A tombstone keeps only the session id and when it was
 * revoked (no user id, no personal data), and lives as long as the feed's window.
 */
export const revocationTombstonesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('revocation_tombstones')
      .addColumn('session_id', 'text', (col) => col.primaryKey())
      .addColumn('revoked_at', 'bigint', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('revocation_tombstones_revoked_at_idx')
      .on('revocation_tombstones')
      .columns(['revoked_at', 'session_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('revocation_tombstones').execute();
  },
};
