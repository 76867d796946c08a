import type { Kysely, Migration } from 'kysely';

/**
 * WebAuthn passkeys (src/stores/passkey-store.ts). The credential id is unique across all users (a
 * sign-in looks the passkey up by it, before anyone is known); a user's passkeys go with the user
 * (cascade). Flags are 0/1 integers and transports JSON text, as elsewhere, so one definition serves
 * SQLite and PostgreSQL.
 */
export const passkeysMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('passkeys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('credential_id', 'text', (col) => col.notNull())
      .addColumn('public_key', 'text', (col) => col.notNull())
      .addColumn('counter', 'bigint', (col) => col.notNull())
      .addColumn('transports', 'text', (col) => col.notNull().defaultTo('[]'))
      .addColumn('backup_eligible', 'integer', (col) => col.notNull())
      .addColumn('backed_up', 'integer', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('last_used_at', 'bigint')
      .addUniqueConstraint('passkeys_credential_id_key', ['credential_id'])
      .execute();
    await db.schema.createIndex('passkeys_user_id_idx').on('passkeys').column('user_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('passkeys').execute();
  },
};
