import type { AccountTokenRecord } from '../account-tokens.js';
import type { SecondFactorRecord } from '../second-factors.js';
import type { RefreshTokenRecord, SessionRecord, UserRecord } from '../types.js';

/**
 * The rows the memory stores share, with the integrity the SQL schema enforces (foreign keys with
 * cascade, UNIQUE(parent_id)) written out by hand so both adapters behave the same. Nothing here
 * awaits: each store method runs to completion in one turn of the event loop, which is what makes
 * the memory adapter atomic within a process.
 */
export interface MemoryTables {
  users: Map<string, UserRecord>;
  sessions: Map<string, SessionRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  /** parentId → child id: the UNIQUE(parent_id) index of refresh_tokens. */
  refreshTokenChildren: Map<string, string>;
  /** One-time account links by id (account-tokens.ts); they go with their user. */
  accountTokens: Map<string, AccountTokenRecord>;
  /** Second factors by id (migration 008 in SQL). */
  secondFactors: Map<string, SecondFactorRecord>;
  /** Recovery codes by user id: each a hash and when it was used. */
  recoveryCodes: Map<string, Array<{ codeHash: string; usedAt: Date | null }>>;
}

export function createMemoryTables(): MemoryTables {
  return {
    users: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    refreshTokenChildren: new Map(),
    accountTokens: new Map(),
    secondFactors: new Map(),
    recoveryCodes: new Map(),
  };
}

/** Records cross the store boundary as copies, so a caller cannot edit stored state by accident. */
export function copyRecord<T>(record: T): T {
  return structuredClone(record);
}

/** Mirrors a failed SQL constraint; the message names the constraint, never the values. */
export function constraintFailed(constraint: string): Error {
  return new Error(`Constraint failed: ${constraint}.`);
}

/**
 * Revokes one session and every refresh token bound to it that is not revoked yet.
 * Returns false when the session was revoked already (it is then left as it is).
 */
export function revokeSessionAndTokens(
  tables: MemoryTables,
  sessionId: string,
  reason: string,
  at: Date,
): boolean {
  const session = tables.sessions.get(sessionId);
  if (session === undefined || session.revokedAt !== null) return false;
  session.revokedAt = new Date(at);
  session.revokedReason = reason;
  for (const token of tables.refreshTokens.values()) {
    if (token.sessionId === sessionId && token.revokedAt === null) token.revokedAt = new Date(at);
  }
  return true;
}

/** ON DELETE CASCADE from users to second_factors and recovery_codes. */
export function deleteFactorsOfUser(tables: MemoryTables, userId: string): number {
  let removed = 0;
  for (const factor of [...tables.secondFactors.values()]) {
    if (factor.userId !== userId) continue;
    tables.secondFactors.delete(factor.id);
    removed++;
  }
  tables.recoveryCodes.delete(userId);
  return removed;
}

/** ON DELETE CASCADE from users to sessions to refresh_tokens, and to account_tokens. */
export function deleteSessionsOfUser(tables: MemoryTables, userId: string): void {
  for (const token of [...tables.accountTokens.values()]) {
    if (token.userId === userId) tables.accountTokens.delete(token.id);
  }
  for (const session of [...tables.sessions.values()]) {
    if (session.userId !== userId) continue;
    tables.sessions.delete(session.id);
    for (const token of [...tables.refreshTokens.values()]) {
      if (token.sessionId !== session.id) continue;
      tables.refreshTokens.delete(token.id);
      if (token.parentId !== null) tables.refreshTokenChildren.delete(token.parentId);
    }
  }
}

/** Oldest first, ties broken by id: the order every adapter lists rows in. */
export function byCreatedAtThenId<T extends { createdAt: Date }>(key: (record: T) => string) {
  return (a: T, b: T): number =>
    a.createdAt.getTime() - b.createdAt.getTime() || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
}
