/**
 * The port of one-time account links (e-mail verification, password reset, e-mail change). The flows
 * in src/flows/recovery/ issue and consume them; only the SHA-256 of a link's secret is stored, so a
 * copy of the table cannot be replayed (the same scheme as refresh tokens, opaque-token.ts).
 */

/** What a link may do; a link of one purpose is never accepted for another. */
export type AccountTokenPurpose = 'verify_email' | 'password_reset' | 'email_change';

export const ACCOUNT_TOKEN_PURPOSES: readonly AccountTokenPurpose[] = [
  'verify_email',
  'password_reset',
  'email_change',
];

export interface AccountTokenRecord {
  /** The public half of the link (`<id>.<secret>`): the primary key. */
  id: string;
  userId: string;
  purpose: AccountTokenPurpose;
  /** SHA-256 of the link's secret (base64url). */
  tokenHash: string;
  /**
   * The address the link is about: the address being verified (a link sent to an old address stops
   * proving anything once the user has moved), or the new address of an e-mail change.
   */
  email: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  /** Voided before use: a newer link of the same purpose, or a password change for reset links. */
  revokedAt: Date | null;
}

export type NewAccountToken = Omit<AccountTokenRecord, 'usedAt' | 'revokedAt'>;

export interface AccountTokenStore {
  /**
   * Stores a new link and voids (revokedAt = its createdAt) every other live link of the same user and
   * purpose that is older (createdAt, then id), so whichever of two racing requests is newer stands.
   */
  issue(token: NewAccountToken): Promise<void>;
  findById(id: string): Promise<AccountTokenRecord | undefined>;
  /**
   * Marks the link used at `at` when it is neither used nor revoked and expires after `at`, in one
   * atomic step: of any number of concurrent calls for one id, exactly one gets true.
   */
  consume(id: string, at: Date): Promise<boolean>;
  /** Voids every live link of the user with one of `purposes`; returns how many it voided. */
  revokeForUser(userId: string, purposes: readonly AccountTokenPurpose[], at: Date): Promise<number>;
  /** Deletes links that expired before `before` (used or not); returns how many. */
  pruneExpired(before: Date): Promise<number>;
}
