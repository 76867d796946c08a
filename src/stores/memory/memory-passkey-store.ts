import { CredentialIdTakenError } from '../passkey-store.js';
import type { PasskeyRecord, PasskeyStore, PasskeyUse } from '../passkey-store.js';
import { byCreatedAtThenId, constraintFailed, copyRecord, type MemoryTables } from './memory-tables.js';

/**
 * Passkeys in process memory, with the SQL schema's integrity: the user must exist (foreign key), the
 * credential id is unique, and a deleted user's passkeys are gone (ON DELETE CASCADE: here, a passkey
 * whose user is no longer in the users table is treated as deleted).
 */
export class MemoryPasskeyStore implements PasskeyStore {
  readonly #tables: MemoryTables;
  readonly #passkeys = new Map<string, PasskeyRecord>();

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(passkey: PasskeyRecord): Promise<PasskeyRecord> {
    this.#dropOrphans();
    if (!this.#tables.users.has(passkey.userId)) throw constraintFailed('passkeys.user_id');
    if (this.#passkeys.has(passkey.id)) throw constraintFailed('passkeys.id');
    for (const existing of this.#passkeys.values()) {
      if (existing.credentialId === passkey.credentialId) throw new CredentialIdTakenError();
    }
    this.#passkeys.set(passkey.id, copyRecord(passkey));
    return copyRecord(passkey);
  }

  async findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined> {
    this.#dropOrphans();
    for (const passkey of this.#passkeys.values()) {
      if (passkey.credentialId === credentialId) return copyRecord(passkey);
    }
    return undefined;
  }

  async listForUser(userId: string): Promise<PasskeyRecord[]> {
    this.#dropOrphans();
    return [...this.#passkeys.values()]
      .filter((passkey) => passkey.userId === userId)
      .sort(byCreatedAtThenId((passkey) => passkey.id))
      .map(copyRecord);
  }

  async rename(userId: string, id: string, name: string): Promise<PasskeyRecord | undefined> {
    const passkey = this.#owned(userId, id);
    if (passkey === undefined) return undefined;
    const renamed = { ...passkey, name };
    this.#passkeys.set(id, renamed);
    return copyRecord(renamed);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    if (this.#owned(userId, id) === undefined) return false;
    return this.#passkeys.delete(id);
  }

  async recordUse(id: string, use: PasskeyUse): Promise<boolean> {
    this.#dropOrphans();
    const passkey = this.#passkeys.get(id);
    if (passkey === undefined || passkey.counter !== use.expectedCounter) return false;
    this.#passkeys.set(id, {
      ...passkey,
      counter: use.counter,
      backedUp: use.backedUp,
      lastUsedAt: use.usedAt,
    });
    return true;
  }

  #owned(userId: string, id: string): PasskeyRecord | undefined {
    this.#dropOrphans();
    const passkey = this.#passkeys.get(id);
    return passkey?.userId === userId ? passkey : undefined;
  }

  #dropOrphans(): void {
    for (const [id, passkey] of this.#passkeys) {
      if (!this.#tables.users.has(passkey.userId)) this.#passkeys.delete(id);
    }
  }
}
