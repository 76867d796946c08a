import type { Selectable } from 'kysely';
import type {
  AuditEvent,
  AuditEventType,
  NewRefreshToken,
  NewSession,
  NewUser,
  RefreshTokenRecord,
  SessionRecord,
  SigningKeyRecord,
  UserPatch,
  UserRecord,
} from '../types.js';
import type {
  AuditEventsTable,
  RefreshTokensTable,
  SessionsTable,
  SigningKeysTable,
  UsersTable,
} from './database.js';

/** Row ↔ record, one pair per table. Times are milliseconds in SQL and Dates above it. */

export type UserRow = UsersTable;
export type SessionRow = SessionsTable;
export type RefreshTokenRow = RefreshTokensTable;
export type SigningKeyRow = SigningKeysTable;
export type AuditEventRow = Selectable<AuditEventsTable>;

const toDate = (ms: number): Date => new Date(ms);
const toDateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
const toMs = (date: Date): number => date.getTime();
const toMsOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash,
    roles: JSON.parse(row.roles) as string[],
    disabled: row.disabled === 1,
    failedLoginCount: row.failed_login_count,
    lockedUntil: toDateOrNull(row.locked_until),
    emailVerifiedAt: toDateOrNull(row.email_verified_at),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

export function toUserRow(user: NewUser): UserRow {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    password_hash: user.passwordHash,
    roles: JSON.stringify(user.roles),
    disabled: 0,
    failed_login_count: 0,
    locked_until: null,
    email_verified_at: null,
    created_at: toMs(user.createdAt),
    updated_at: toMs(user.createdAt),
  };
}

/** Only the fields the patch sets; undefined leaves a column as it is, null clears it. */
export function toUserUpdate(patch: UserPatch): Partial<UserRow> {
  const row: Partial<UserRow> = { updated_at: toMs(patch.updatedAt) };
  if (patch.email !== undefined) row.email = patch.email;
  if (patch.name !== undefined) row.name = patch.name;
  if (patch.passwordHash !== undefined) row.password_hash = patch.passwordHash;
  if (patch.roles !== undefined) row.roles = JSON.stringify(patch.roles);
  if (patch.disabled !== undefined) row.disabled = patch.disabled ? 1 : 0;
  if (patch.failedLoginCount !== undefined) row.failed_login_count = patch.failedLoginCount;
  if (patch.lockedUntil !== undefined) row.locked_until = toMsOrNull(patch.lockedUntil);
  if (patch.emailVerifiedAt !== undefined) row.email_verified_at = toMsOrNull(patch.emailVerifiedAt);
  return row;
}

export function toSessionRecord(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind,
    tokenHash: row.token_hash,
    createdAt: toDate(row.created_at),
    lastSeenAt: toDate(row.last_seen_at),
    idleExpiresAt: toDateOrNull(row.idle_expires_at),
    absoluteExpiresAt: toDate(row.absolute_expires_at),
    revokedAt: toDateOrNull(row.revoked_at),
    revokedReason: row.revoked_reason,
    userAgent: row.user_agent,
    ip: row.ip,
    // Absent rather than null for first-party sessions, as the memory adapter stores them.
    ...(row.client_id !== null && row.client_id !== undefined && { clientId: row.client_id }),
    ...(row.scope !== null && row.scope !== undefined && { scope: row.scope }),
    ...(row.amr !== null && row.amr !== undefined && { amr: JSON.parse(row.amr) as string[] }),
    ...(row.acr !== null && row.acr !== undefined && { acr: row.acr }),
    ...(row.auth_time !== null && row.auth_time !== undefined && { authTime: toDate(Number(row.auth_time)) }),
  };
}

export function toSessionRow(session: NewSession): SessionRow {
  return {
    id: session.id,
    user_id: session.userId,
    kind: session.kind,
    token_hash: session.tokenHash,
    created_at: toMs(session.createdAt),
    last_seen_at: toMs(session.lastSeenAt),
    idle_expires_at: toMsOrNull(session.idleExpiresAt),
    absolute_expires_at: toMs(session.absoluteExpiresAt),
    revoked_at: null,
    revoked_reason: null,
    user_agent: session.userAgent,
    ip: session.ip,
    client_id: session.clientId ?? null,
    scope: session.scope ?? null,
    amr: session.amr === undefined ? null : JSON.stringify(session.amr),
    acr: session.acr ?? null,
    auth_time: session.authTime === undefined ? null : toMs(session.authTime),
  };
}

export function toRefreshTokenRecord(row: RefreshTokenRow): RefreshTokenRecord {
  return {
    id: row.id,
    sessionId: row.session_id,
    parentId: row.parent_id,
    tokenHash: row.token_hash,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
    usedAt: toDateOrNull(row.used_at),
    revokedAt: toDateOrNull(row.revoked_at),
  };
}

export function toRefreshTokenRow(token: NewRefreshToken): RefreshTokenRow {
  return {
    id: token.id,
    session_id: token.sessionId,
    parent_id: token.parentId,
    token_hash: token.tokenHash,
    created_at: toMs(token.createdAt),
    expires_at: toMs(token.expiresAt),
    used_at: null,
    revoked_at: null,
  };
}

export function toSigningKeyRecord(row: SigningKeyRow): SigningKeyRecord {
  return {
    kid: row.kid,
    alg: row.alg,
    state: row.state,
    privateJwk: row.private_jwk,
    publicJwk: row.public_jwk,
    createdAt: toDate(row.created_at),
    ...(row.state_changed_at !== null && { stateChangedAt: toDate(row.state_changed_at) }),
  };
}

export function toSigningKeyRow(record: SigningKeyRecord): SigningKeyRow {
  return {
    kid: record.kid,
    alg: record.alg,
    state: record.state,
    private_jwk: record.privateJwk,
    public_jwk: record.publicJwk,
    created_at: toMs(record.createdAt),
    state_changed_at: record.stateChangedAt === undefined ? null : toMs(record.stateChangedAt),
  };
}

export function toAuditEvent(row: AuditEventRow): AuditEvent {
  return {
    at: toDate(row.at),
    type: row.type as AuditEventType,
    userId: row.user_id,
    sessionId: row.session_id,
    ip: row.ip,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}

export function toAuditEventRow(event: AuditEvent): Omit<AuditEventRow, 'id'> {
  return {
    at: toMs(event.at),
    type: event.type,
    user_id: event.userId,
    session_id: event.sessionId,
    ip: event.ip,
    detail: event.detail === null ? null : JSON.stringify(event.detail),
  };
}
