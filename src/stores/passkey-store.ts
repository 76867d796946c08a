/**
 * The passkeys (WebAuthn credentials) users registered. Flows reach them only through this port; the
 * memory and SQL adapters implement it (migration 009).
 */

/** How the authenticator can be reached (WebAuthn L3 §5.8.4), as the browser reported it at registration. */
export type PasskeyTransport = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';

export interface PasskeyRecord {
  /** Tessera's own id of the passkey (random, base64url): what the management routes name. */
  id: string;
  userId: string;
  /** The WebAuthn credential id (base64url), unique across all users. */
  credentialId: string;
  /** The COSE public key (base64url), as the authenticator attested it. */
  publicKey: string;
  /** The signature counter last seen; 0 for authenticators that do not count. */
  counter: number;
  transports: PasskeyTransport[];
  /** BE flag: the credential may be synced to other devices (a multi-device passkey). */
  backupEligible: boolean;
  /** BS flag: the credential is backed up now (updated on every use). */
  backedUp: boolean;
  /** The user's label, e.g. "MacBook Touch ID". */
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** What a successful assertion writes back. */
export interface PasskeyUse {
  /** The counter the assertion carried; the write happens only while the stored one is still `expectedCounter`. */
  counter: number;
  expectedCounter: number;
  backedUp: boolean;
  usedAt: Date;
}

export interface PasskeyStore {
  /** Throws CredentialIdTakenError when the credential id is registered already (to anyone). */
  create(passkey: PasskeyRecord): Promise<PasskeyRecord>;
  findByCredentialId(credentialId: string): Promise<PasskeyRecord | undefined>;
  /** The user's passkeys, oldest first (ties by id). */
  listForUser(userId: string): Promise<PasskeyRecord[]>;
  /** Renames one of the user's passkeys; undefined when the user has no passkey with that id. */
  rename(userId: string, id: string, name: string): Promise<PasskeyRecord | undefined>;
  /** Deletes one of the user's passkeys; false when the user has no passkey with that id. */
  delete(userId: string, id: string): Promise<boolean>;
  /**
   * Records a use: counter, backup state and last use, atomically and only if the stored counter still
   * equals `use.expectedCounter` (compare-and-set), so two concurrent assertions with one counter value
   * cannot both pass. False when the passkey is gone or its counter moved meanwhile.
   */
  recordUse(id: string, use: PasskeyUse): Promise<boolean>;
}

/** Raised by PasskeyStore.create on a credential id that is already registered. */
export class CredentialIdTakenError extends Error {
  constructor() {
    super('A passkey with this credential id already exists.');
    this.name = 'CredentialIdTakenError';
  }
}
