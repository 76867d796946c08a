import type { Generated } from 'kysely';

/**
 * The SQL schema as Kysely sees it (written by migrations/001-initial.ts). Times are INTEGER
 * milliseconds since the epoch, booleans 0/1, lists and objects JSON text: types that compare and
 * index cheaply and port unchanged to PostgreSQL (bigint, integer, text).
 */

export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string;
  /** JSON array of role names. */
  roles: string;
  disabled: number;
  failed_login_count: number;
  locked_until: number | null;
  /** Migration 007; null until the address is proven. */
  email_verified_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  kind: 'jwt' | 'session';
  token_hash: string | null;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number | null;
  absolute_expires_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  user_agent: string | null;
  ip: string | null;
  /** Migration 003: the OAuth client and scope of the grant; null for the first-party endpoints. */
  client_id: string | null;
  scope: string | null;
  /** Migration 008: RFC 8176 methods (JSON array), the level and when the credential was proven. */
  amr: string | null;
  acr: string | null;
  auth_time: number | null;
}

/** Migration 003. */
export interface OAuthClientsTable {
  client_id: string;
  name: string;
  type: 'public' | 'confidential';
  secret_hash: string | null;
  /** JSON array of grant types. */
  grant_types: string;
  /** JSON array of scope values. */
  scopes: string;
  created_at: number;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  parent_id: string | null;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  state: 'next' | 'current' | 'retired';
  private_jwk: string;
  public_jwk: string | null;
  created_at: number;
  /** Migration 002; null until the key first changes state. */
  state_changed_at: number | null;
}

export interface SecretsTable {
  name: string;
  value: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: number;
  type: string;
  user_id: string | null;
  session_id: string | null;
  ip: string | null;
  /** JSON object, or null. */
  detail: string | null;
}

export interface EphemeralTable {
  key: string;
  /** What `set` stored; null for a counter. */
  value: string | null;
  count: number;
  expires_at: number;
}

/** Migration 005: revoked sessions the feed still lists after their rows were deleted. */
export interface RevocationTombstonesTable {
  session_id: string;
  revoked_at: number;
}

/** Migration 006: the durable mail outbox (src/stores/sql/sql-mail-outbox.ts). */
export interface MailOutboxTable {
  id: string;
  recipient: string;
  template: string;
  /** JSON object of template values; '{}' once sent. */
  data: string;
  status: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  delivered_at: number | null;
  last_error: string | null;
  claimed_by: string | null;
  lease_expires_at: number | null;
}

/** Migration 007: one-time account links (stores/account-tokens.ts). */
export interface AccountTokensTable {
  id: string;
  user_id: string;
  purpose: 'verify_email' | 'password_reset' | 'email_change';
  token_hash: string;
  email: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

/** Migration 008. */
export interface SecondFactorsTable {
  id: string;
  user_id: string;
  kind: 'totp';
  secret: string;
  label: string;
  created_at: number;
  confirmed_at: number | null;
  last_used_step: number | null;
}

/** Migration 008. */
export interface RecoveryCodesTable {
  user_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

/** Migration 009: WebAuthn passkeys. */
export interface PasskeysTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: string;
  counter: number;
  /** JSON array of transports. */
  transports: string;
  backup_eligible: number;
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface Database {
  mail_outbox: MailOutboxTable;
  account_tokens: AccountTokensTable;
  second_factors: SecondFactorsTable;
  recovery_codes: RecoveryCodesTable;
  passkeys: PasskeysTable;
  revocation_tombstones: RevocationTombstonesTable;
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  signing_keys: SigningKeysTable;
  secrets: SecretsTable;
  audit_events: AuditEventsTable;
  ephemeral: EphemeralTable;
  oauth_clients: OAuthClientsTable;
}
