import type { Kysely, Migration } from 'kysely';

/**
 * The durable mail outbox (docs/decisions/0040). The request path inserts a row; the drainer leases due
 * rows (claimed_by, lease_expires_at) so one instance sends each message, and marks the outcome. Once a
 * message is sent its data (one-time links) is blanked; recipient, template, status and times remain.
 * Times are bigint milliseconds, data JSON text, as in every other table.
 */
export const mailOutboxMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('mail_outbox')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('recipient', 'text', (col) => col.notNull())
      .addColumn('template', 'text', (col) => col.notNull())
      .addColumn('data', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
      .addColumn('delivered_at', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('claimed_by', 'text')
      .addColumn('lease_expires_at', 'bigint')
      .execute();
    // The drainer's query: pending rows by due time.
    await db.schema
      .createIndex('mail_outbox_status_due_idx')
      .on('mail_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();
    // Listings: newest first.
    await db.schema
      .createIndex('mail_outbox_created_idx')
      .on('mail_outbox')
      .columns(['created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('mail_outbox').execute();
  },
};
