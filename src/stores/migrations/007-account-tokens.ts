import type { Kysely, Migration } from 'kysely';

/**
 * Account recovery (issue 13): when a user's address was proven (users.email_verified_at, null until a
 * verification or e-mail-change link is used), and the one-time links themselves. A link's secret is
 * stored only as its SHA-256; `purpose` binds it to one use; `email` is the address it is about.
 */
export const accountTokensMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('users').addColumn('email_verified_at', 'bigint').execute();
    await db.schema
      .createTable('account_tokens')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('purpose', 'text', (col) => col.notNull())
      .addColumn('token_hash', 'text', (col) => col.notNull())
      .addColumn('email', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('expires_at', 'bigint', (col) => col.notNull())
      .addColumn('used_at', 'bigint')
      .addColumn('revoked_at', 'bigint')
      .execute();
    // Issuing voids a user's older links of the same purpose; pruning deletes by expiry.
    await db.schema
      .createIndex('account_tokens_user_purpose_idx')
      .on('account_tokens')
      .columns(['user_id', 'purpose'])
      .execute();
    await db.schema
      .createIndex('account_tokens_expires_at_idx')
      .on('account_tokens')
      .column('expires_at')
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('account_tokens').execute();
    await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  },
};
