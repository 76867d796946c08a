import type { Kysely, Migration } from 'kysely';

/**
 * Second factors (issue 14) and how each session was signed in.
 * - second_factors: a user's enrolled factors (TOTP now, passkeys later: `kind`). The secret is sealed
 *   with TESSERA_MASTER_KEY when one is set. last_used_step makes a TOTP code single-use: the accepting
 *   UPDATE is conditional on it, so two requests with one code cannot both pass.
 * - recovery_codes: SHA-256 of each code (128-bit random, so a fast hash suffices), used_at once spent.
 * - sessions.amr / acr / auth_time: RFC 8176 methods (JSON array), the level and when the credential
 *   was proven, so refreshed access tokens state the same strength as the first.
 * Plain tables and columns, written the same way on SQLite and PostgreSQL.
 */
export const secondFactorsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('second_factors')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('secret', 'text', (col) => col.notNull())
      .addColumn('label', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('confirmed_at', 'bigint')
      .addColumn('last_used_step', 'bigint')
      .execute();
    await db.schema.createIndex('second_factors_user_idx').on('second_factors').column('user_id').execute();
    await db.schema
      .createTable('recovery_codes')
      .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
      .addColumn('code_hash', 'text', (col) => col.notNull())
      .addColumn('created_at', 'bigint', (col) => col.notNull())
      .addColumn('used_at', 'bigint')
      .addPrimaryKeyConstraint('recovery_codes_pkey', ['user_id', 'code_hash'])
      .execute();
    await db.schema.alterTable('sessions').addColumn('amr', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('acr', 'text').execute();
    await db.schema.alterTable('sessions').addColumn('auth_time', 'bigint').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('sessions').dropColumn('auth_time').execute();
    await db.schema.alterTable('sessions').dropColumn('acr').execute();
    await db.schema.alterTable('sessions').dropColumn('amr').execute();
    await db.schema.dropTable('recovery_codes').execute();
    await db.schema.dropTable('second_factors').execute();
  },
};
