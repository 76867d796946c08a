/**
 * The second-factor port: the factors a user enrolled (TOTP now; the passkeys feature adds its own
 * kind) and their recovery codes. Flows depend on this type only; memory and SQL adapters implement it
 * (src/stores/memory/memory-second-factor-store.ts, src/stores/sql/sql-second-factor-store.ts).
 */

/** A kind of second factor. New kinds (`webauthn`) join this union; `listForUser` returns every kind. */
export type SecondFactorKind = 'totp';

export interface SecondFactorRecord {
  id: string;
  userId: string;
  kind: SecondFactorKind;
  /** The factor's secret as stored: sealed with TESSERA_MASTER_KEY when one is set (TOTP: base32 seed). */
  secret: string;
  /** A name the user recognises (e.g. "Authenticator app"). */
  label: string;
  createdAt: Date;
  /** When the first valid code activated it; null while the enrolment waits for confirmation. */
  confirmedAt: Date | null;
  /** TOTP: the last accepted time step; a code of this step or an earlier one is never accepted again. */
  lastUsedStep: number | null;
}

export type NewSecondFactor = Omit<SecondFactorRecord, 'confirmedAt' | 'lastUsedStep'>;

export interface SecondFactorStore {
  /** Throws when the user does not exist (foreign key). */
  create(factor: NewSecondFactor): Promise<SecondFactorRecord>;
  /** Oldest first, ties broken by id; confirmed and pending ones. */
  listForUser(userId: string): Promise<SecondFactorRecord[]>;
  findById(id: string): Promise<SecondFactorRecord | undefined>;
  /**
   * Atomically records `step` as the factor's last accepted time step, and sets `confirmedAt` to `at`
   * when it is null, only if no step ≥ `step` was accepted before. True when it did: two requests
   * with the same code cannot both succeed.
   */
  acceptStep(id: string, step: number, at: Date): Promise<boolean>;
  /** Deletes one factor of the user; false when the user has no such factor. */
  remove(userId: string, id: string): Promise<boolean>;
  /** Deletes the user's factors that are not confirmed (an abandoned enrolment); returns how many. */
  removePending(userId: string): Promise<number>;
  /** Deletes every factor and every recovery code of the user (administrator reset); returns how many factors. */
  removeAllForUser(userId: string): Promise<number>;
  /** Replaces the user's recovery codes with these hashes, in one step: the old ones are void. */
  replaceRecoveryCodes(userId: string, codeHashes: readonly string[], at: Date): Promise<void>;
  /** Atomically marks the unused code with this hash used at `at`; false when there is none. */
  useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean>;
  /** How many of the user's recovery codes are still unused. */
  countUnusedRecoveryCodes(userId: string): Promise<number>;
}
