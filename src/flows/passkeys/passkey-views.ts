import type { PasskeyRecord } from '../../stores/types.js';
import type { PasskeyView } from '../../wire/passkey-view.js';

/** What the user sees of a passkey: never its key or credential id. */
export function toPasskeyView(passkey: PasskeyRecord): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    created_at: passkey.createdAt.toISOString(),
    last_used_at: passkey.lastUsedAt?.toISOString() ?? null,
    transports: [...passkey.transports],
    backup_eligible: passkey.backupEligible,
    backed_up: passkey.backedUp,
  };
}

/**
 * A passwordless account has no password hash (an account created with a passkey only): its passkeys
 * are its only way to sign in.
 */
export function hasPassword(user: { passwordHash: string }): boolean {
  return user.passwordHash !== '';
}
