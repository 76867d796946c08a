import type { Kysely, Migration } from 'kysely';

/**
 * signing_keys.state_changed_at (milliseconds, null until the key first changes state): rotation
 * promotes a `next` key once it has been published long enough and removes a `retired` key once every
 * token it signed has expired, both measured from the moment the key entered its state. A plain
 * nullable column, added the same way on SQLite and PostgreSQL.
 */
export const keyStateChangedAtMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('signing_keys').addColumn('state_changed_at', 'bigint').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('signing_keys').dropColumn('state_changed_at').execute();
  },
};
