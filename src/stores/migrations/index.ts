import type { Migration } from 'kysely';
import { initialMigration } from './001-initial.js';
import { keyStateChangedAtMigration } from './002-key-state-changed-at.js';
import { oauthClientsMigration } from './003-oauth-clients.js';
import { revocationFeedIndexMigration } from './004-revocation-feed-index.js';
import { revocationTombstonesMigration } from './005-revocation-tombstones.js';
import { mailOutboxMigration } from './006-mail-outbox.js';
import { accountTokensMigration } from './007-account-tokens.js';
import { secondFactorsMigration } from './008-second-factors.js';
import { passkeysMigration } from './009-passkeys.js';

/**
 * Every migration, in code rather than read from the filesystem, so they run the same from src/
 * (tsx, vitest) and from dist/. Kysely applies them in the order of their names.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '001-initial': initialMigration,
  '002-key-state-changed-at': keyStateChangedAtMigration,
  '003-oauth-clients': oauthClientsMigration,
  '004-revocation-feed-index': revocationFeedIndexMigration,
  '005-revocation-tombstones': revocationTombstonesMigration,
  '006-mail-outbox': mailOutboxMigration,
  '007-account-tokens': accountTokensMigration,
  '008-second-factors': secondFactorsMigration,
  '009-passkeys': passkeysMigration,
};
