/**
 * Store ports. Flows depend on these types only (and on the RevocationList port, revocation-list.ts);
 * the adapters (memory/, sqlite/, postgres/, redis/) implement them and are chosen in one place,
 * src/server/open-stores.ts. Times are Dates; ids are opaque strings made by the flows (random), so
 * every store agrees on them.
 */
import type { MailOutbox, MailQueue } from './mail-outbox.js';
import type { AccountTokenStore } from './account-tokens.js';

// The account-link port lives beside this file; flows import it from here, with every other port.
export type {
  AccountTokenPurpose,
  AccountTokenRecord,
  AccountTokenStore,
  NewAccountToken,
} from './account-tokens.js';
import type { SecondFactorStore } from './second-factors.js';

export type {
  NewSecondFactor,
  SecondFactorKind,
  SecondFactorRecord,
  SecondFactorStore,
} from './second-factors.js';
import type { PasskeyStore } from './passkey-store.js';

// The passkey port lives beside this file (passkey-store.ts); flows import it from here, with the others.
export type { PasskeyRecord, PasskeyStore, PasskeyTransport, PasskeyUse } from './passkey-store.js';
export { CredentialIdTakenError } from './passkey-store.js';

export interface UserRecord {
  id: string;
  /** Normalised (trimmed, lower-cased); unique. */
  email: string;
  name: string | null;
  passwordHash: string;
  roles: string[];
  disabled: boolean;
  /** Consecutive failed logins since the last success; drives lockout with backoff. */
  failedLoginCount: number;
  lockedUntil: Date | null;
  /** When the user proved they receive mail at `email` (a verification or e-mail-change link); null until then. */
  emailVerifiedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type NewUser = Pick<UserRecord, 'id' | 'email' | 'name' | 'passwordHash' | 'roles' | 'createdAt'>;

export type UserPatch = Partial<
  Pick<
    UserRecord,
    | 'email'
    | 'name'
    | 'passwordHash'
    | 'roles'
    | 'disabled'
    | 'failedLoginCount'
    | 'lockedUntil'
    | 'emailVerifiedAt'
  >
> & { updatedAt: Date };

export interface UserStore {
  /** Throws EmailTakenError when the normalised e-mail exists already. */
  create(user: NewUser): Promise<UserRecord>;
  findById(id: string): Promise<UserRecord | undefined>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  /**
   * Returns the updated record, or undefined when no such user. Throws EmailTakenError when the patch
   * moves the user to an e-mail another user has.
   */
  update(id: string, patch: UserPatch): Promise<UserRecord | undefined>;
  list(options?: { limit?: number; offset?: number }): Promise<UserRecord[]>;
  /** Deletes the user with their sessions and refresh tokens. */
  delete(id: string): Promise<boolean>;
}

export type SessionKind = 'jwt' | 'session';

export interface SessionRecord {
  id: string;
  userId: string;
  kind: SessionKind;
  /** Session mode: SHA-256 of the session token's secret (base64url); null in JWT mode. */
  tokenHash: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  /** Session mode idle timeout; null when none applies. */
  idleExpiresAt: Date | null;
  absoluteExpiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  userAgent: string | null;
  ip: string | null;
  /** The OAuth client the session was granted to (/oauth/token); absent for the first-party /auth/* endpoints. */
  clientId?: string;
  /** Space-delimited scope granted with an OAuth session (RFC 6749 §3.3); absent when none. */
  scope?: string;
  /**
   * How the user signed in (migration 008): RFC 8176 methods, the level (ACR_LEVELS) and when the
   * credential was proven, so refreshed tokens keep them. Absent on sessions opened before 008.
   */
  amr?: string[];
  acr?: string;
  authTime?: Date;
}

export type NewSession = Omit<SessionRecord, 'revokedAt' | 'revokedReason'>;

export interface SessionStore {
  create(session: NewSession): Promise<SessionRecord>;
  findById(id: string): Promise<SessionRecord | undefined>;
  /** Sessions of a user that are neither revoked nor past their absolute expiry at `now`. */
  listActiveForUser(userId: string, now: Date): Promise<SessionRecord[]>;
  touch(id: string, lastSeenAt: Date, idleExpiresAt: Date | null): Promise<void>;
  /**
   * Revokes the given sessions of the user (all when `ids` is undefined, all but `exceptId` when set)
   * and every refresh token bound to them, in one step. Already revoked ones are left as they are.
   * Returns the ids newly revoked.
   */
  revoke(args: {
    userId: string;
    ids?: readonly string[];
    exceptId?: string;
    reason: string;
    at: Date;
  }): Promise<string[]>;
  /**
   * Revoked JWT-mode sessions (the ones access tokens name in `sid`) whose (revokedAt, id) sorts after
   * `after`, in that order, at most `limit`: the revocation feed (flows/revocation/revocation-feed.ts).
   */
  listRevokedSince(after: { revokedAt: Date; id: string }, limit: number): Promise<RevokedSession[]>;
  /**
   * Revokes every unrevoked session granted to this OAuth client (and their refresh tokens), in one
   * step, when the client is removed. Returns the ids newly revoked.
   */
  revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]>;
  /**
   * Ids of the sessions a revocation selects (revoke's user, ids and exceptId; or revokeForClient's
   * client) that are already revoked, at or after `since`. Every revocation announces these again, so a
   * retried logout re-announces what a lost announcement left unannounced (decision 0017).
   */
  listRevokedSelected(selection: RevocationSelection, since: Date): Promise<string[]>;
  /**
   * Before a user is deleted (its sessions go with it): keeps a tombstone of each of the user's
   * JWT-mode sessions revoked at or after `since`, so listRevokedSince goes on listing them. Returns
   * how many were kept.
   */
  keepRevocationTombstones(userId: string, since: Date): Promise<number>;
  /** Deletes tombstones of revocations before `before` (their tokens have all expired). */
  pruneRevocationTombstones(before: Date): Promise<number>;
}

/** Which sessions a revocation covers: a user's (some or all), or an OAuth client's. */
export type RevocationSelection =
  { userId: string; ids?: readonly string[]; exceptId?: string } | { clientId: string };

/** One entry of the revocation feed. */
export interface RevokedSession {
  id: string;
  revokedAt: Date;
}

export interface RefreshTokenRecord {
  id: string;
  sessionId: string;
  /** The token this one replaced; null for the first of a family. Unique: a family never forks. */
  parentId: string | null;
  /** SHA-256 of the token's secret (base64url). */
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, 'usedAt' | 'revokedAt'>;

/** What the refresh flow decided about a presented token, evaluated inside the store's atomic step. */
export type RotationDecision =
  /** Mark the presented token used at `at`, insert `successor` as its only child, and set the session's lastSeenAt to `at`. */
  | { kind: 'rotate'; successor: NewRefreshToken; at: Date }
  /** Inside the reuse grace window: the existing successor stands; nothing is written. */
  | { kind: 'reuse-successor' }
  /** Theft suspected: revoke the session and its whole family, and commit that even though the request fails. */
  | { kind: 'revoke-family'; reason: string; at: Date }
  /** Refuse without writing (unknown, expired, revoked…). */
  | { kind: 'reject' };

export interface RotationState {
  token: RefreshTokenRecord;
  session: SessionRecord;
  /** The presented token's successor, if it has been rotated before. */
  successor: RefreshTokenRecord | undefined;
}

export interface RefreshTokenStore {
  insert(token: NewRefreshToken): Promise<RefreshTokenRecord>;
  /**
   * The atomic heart of rotation: reads the token `id` with its session and successor under a lock
   * (a transaction, a row lock), calls `decide` (pure), applies the decision, and returns the state it
   * decided on plus the successor that now stands. `undefined` when no token has that id. Under any
   * concurrency a token gets at most one successor.
   */
  rotate(
    id: string,
    decide: (state: RotationState) => RotationDecision,
  ): Promise<
    | { state: RotationState; decision: RotationDecision; successor: RefreshTokenRecord | undefined }
    | undefined
  >;
}

export interface SigningKeyRecord {
  kid: string;
  alg: string;
  state: 'next' | 'current' | 'retired';
  /** The private JWK as JSON (or its encrypted envelope when a master key is set). */
  privateJwk: string;
  publicJwk: string | null;
  createdAt: Date;
  /** When the key entered its present state; absent when it has not changed state since createdAt. */
  stateChangedAt?: Date;
}

export interface SigningKeyStore {
  list(): Promise<SigningKeyRecord[]>;
  insert(record: SigningKeyRecord): Promise<void>;
  /** Moves a key to `state` and records `at` as its stateChangedAt; an unknown kid changes nothing. */
  setState(kid: string, state: SigningKeyRecord['state'], at: Date): Promise<void>;
  /** Deletes a key (a retired key whose tokens have all expired); an unknown kid changes nothing. */
  remove(kid: string): Promise<void>;
  /** Rewrites a key's stored private JWK (sealing it once a master key is set); an unknown kid changes nothing. */
  replacePrivateJwk(kid: string, privateJwk: string): Promise<void>;
}

/** Server-wide secrets that every instance must share (e.g. the refresh-token derivation key). */
export interface SecretStore {
  /** Returns the stored value, or stores and returns `create()` if none exists yet (first writer wins). */
  getOrCreate(name: string, create: () => string): Promise<string>;
  /** Rewrites an existing secret's stored form (sealing it once a master key is set); an unknown name changes nothing. */
  replace(name: string, value: string): Promise<void>;
  /** The secrets whose name starts with `prefix` (elections), in name order. */
  listByPrefix(prefix: string): Promise<Array<{ name: string; value: string }>>;
  /** Deletes a secret; an unknown name changes nothing. */
  delete(name: string): Promise<void>;
}

export type AuditEventType =
  | 'register'
  | 'login_succeeded'
  | 'login_failed'
  | 'lockout'
  | 'refresh'
  | 'refresh_reuse_detected'
  | 'logout'
  | 'session_revoked'
  | 'roles_changed'
  | 'password_changed'
  /** Admin actions (CLI): accounts created, locked, unlocked, disabled, enabled or deleted by an operator. */
  | 'user_created'
  | 'user_locked'
  | 'user_unlocked'
  | 'user_disabled'
  | 'user_enabled'
  | 'user_deleted'
  /** OAuth clients registered or removed by an operator (`tessera clients`). */
  | 'client_added'
  | 'client_removed'
  /** Mail delivery (src/mail/): a message accepted by SMTP, given up on, or put back by an operator. */
  | 'mail_sent'
  | 'mail_failed'
  | 'mail_retried'
  /** Account recovery (src/flows/recovery/): links sent and used, and what they changed. */
  | 'email_verification_sent'
  | 'email_verified'
  | 'password_reset_requested'
  | 'password_reset'
  | 'email_change_requested'
  | 'email_changed'
  /** A one-time link was refused (expired, used, revoked, wrong purpose, tampered). */
  | 'account_token_rejected'
  /** Second factors (src/flows/mfa/): enrolled and confirmed, removed (by the user or `tessera users mfa reset`). */
  | 'factor_added'
  | 'factor_removed'
  /** A wrong or replayed second-factor answer to a sign-in ticket. */
  | 'second_factor_failed'
  | 'recovery_code_used'
  | 'recovery_codes_regenerated'
  /** Passkeys (WebAuthn): registered, renamed or removed by their user; a counter that went back (a cloned authenticator). */
  | 'passkey_added'
  | 'passkey_renamed'
  | 'passkey_removed'
  | 'passkey_clone_detected';

export interface AuditEvent {
  at: Date;
  type: AuditEventType;
  userId: string | null;
  sessionId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditStore {
  record(event: AuditEvent): Promise<void>;
  list(filter?: { userId?: string; type?: AuditEventType; limit?: number }): Promise<AuditEvent[]>;
}

/** Short-lived counters and one-time values (rate limits, lockout windows). */
export interface EphemeralStore {
  /** Adds one to `key`, creating it with a lifetime of `ttlSeconds`; returns the new count and seconds left. */
  increment(key: string, ttlSeconds: number): Promise<{ count: number; ttlSeconds: number }>;
  /** The live value of `key` without consuming it (counters have no value: undefined). */
  get(key: string): Promise<string | undefined>;
  /** The live count of a counter without changing it: 0 when absent, expired or not a counter. */
  count(key: string): Promise<number>;
  getAndDelete(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export type ClientType = 'public' | 'confidential';
export type OAuthGrantType = 'password' | 'refresh_token';

/** A registered OAuth client (RFC 6749 §2). Confidential clients hold a generated secret, stored only hashed. */
export interface ClientRecord {
  clientId: string;
  name: string;
  type: ClientType;
  /** SHA-256 of the generated secret (base64url); null for public clients. */
  secretHash: string | null;
  grantTypes: OAuthGrantType[];
  /** Scope values the client may request (RFC 6749 §3.3). */
  scopes: string[];
  createdAt: Date;
}

export interface ClientStore {
  /** Throws ClientIdTakenError when the client_id exists already. */
  create(client: ClientRecord): Promise<ClientRecord>;
  findById(clientId: string): Promise<ClientRecord | undefined>;
  /** Oldest first, ties broken by client_id. */
  list(): Promise<ClientRecord[]>;
  remove(clientId: string): Promise<boolean>;
}

export interface Stores {
  users: UserStore;
  /** Messages waiting for delivery (src/mail/ drains it): the flows only enqueue. */
  mailOutbox: MailOutbox;
  /** The same outbox as the drainer and the operator (CLI) see it: claim, mark, list, retry. */
  mailQueue: MailQueue;
  /** One-time links: e-mail verification, password reset, e-mail change (port: account-tokens.ts). */
  accountTokens: AccountTokenStore;
  clients: ClientStore;
  /** Second factors and recovery codes (src/stores/second-factors.ts). */
  secondFactors: SecondFactorStore;
  /** WebAuthn credentials (src/stores/passkey-store.ts). */
  passkeys: PasskeyStore;
  sessions: SessionStore;
  refreshTokens: RefreshTokenStore;
  signingKeys: SigningKeyStore;
  secrets: SecretStore;
  audit: AuditStore;
  ephemeral: EphemeralStore;
  /**
   * Lockout counters: shared by every process on the same stores (the CLI included), so `users list`
   * sees what the server counted. The database's ephemeral table, or Redis when configured (0027).
   */
  lockouts: EphemeralStore;
  /** True when the backing database answers (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Raised by ClientStore.create on a duplicate client_id. */
export class ClientIdTakenError extends Error {
  constructor() {
    super('A client with this client_id already exists.');
    this.name = 'ClientIdTakenError';
  }
}

/** Raised by UserStore.create on a duplicate e-mail; the flow turns it into `email_taken`. */
export class EmailTakenError extends Error {
  constructor() {
    super('A user with this e-mail already exists.');
    this.name = 'EmailTakenError';
  }
}
