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
