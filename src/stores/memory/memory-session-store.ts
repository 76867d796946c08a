import type {
  NewSession,
  RevocationSelection,
  RevokedSession,
  SessionRecord,
  SessionStore,
} from '../types.js';
import { byCreatedAtThenId, constraintFailed, copyRecord, revokeSessionAndTokens } from './memory-tables.js';
import type { MemoryTables } from './memory-tables.js';

export class MemorySessionStore implements SessionStore {
  readonly #tables: MemoryTables;
  /** Revocation tombstones (migration 005 in SQL): session id → revoked at (ms). */
  readonly #tombstones = new Map<string, number>();

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(session: NewSession): Promise<SessionRecord> {
    if (!this.#tables.users.has(session.userId)) throw constraintFailed('sessions.user_id references users');
    if (this.#tables.sessions.has(session.id)) throw constraintFailed('sessions.id');
    const record: SessionRecord = { ...copyRecord(session), revokedAt: null, revokedReason: null };
    this.#tables.sessions.set(record.id, record);
    return copyRecord(record);
  }

  async findById(id: string): Promise<SessionRecord | undefined> {
    const record = this.#tables.sessions.get(id);
    return record && copyRecord(record);
  }

  async listActiveForUser(userId: string, now: Date): Promise<SessionRecord[]> {
    return this.#sessionsOf(userId)
      .filter((session) => session.revokedAt === null && session.absoluteExpiresAt.getTime() > now.getTime())
      .map(copyRecord);
  }

  async touch(id: string, lastSeenAt: Date, idleExpiresAt: Date | null): Promise<void> {
    const record = this.#tables.sessions.get(id);
    if (record === undefined) return;
    record.lastSeenAt = new Date(lastSeenAt);
    record.idleExpiresAt = idleExpiresAt && new Date(idleExpiresAt);
  }

  async revoke(args: {
    userId: string;
    ids?: readonly string[];
    exceptId?: string;
    reason: string;
    at: Date;
  }): Promise<string[]> {
    const wanted = args.ids === undefined ? undefined : new Set(args.ids);
    const targets = this.#sessionsOf(args.userId).filter(
      (session) =>
        session.revokedAt === null &&
        session.id !== args.exceptId &&
        (wanted === undefined || wanted.has(session.id)),
    );
    return targets
      .filter((session) => revokeSessionAndTokens(this.#tables, session.id, args.reason, args.at))
      .map((session) => session.id);
  }

  async keepRevocationTombstones(userId: string, since: Date): Promise<number> {
    let kept = 0;
    for (const session of this.#sessionsOf(userId)) {
      const at = session.revokedAt?.getTime();
      if (session.kind !== 'jwt' || at === undefined || at < since.getTime()) continue;
      if (!this.#tombstones.has(session.id)) kept += 1;
      this.#tombstones.set(session.id, at);
    }
    return kept;
  }

  async pruneRevocationTombstones(before: Date): Promise<number> {
    let pruned = 0;
    for (const [id, at] of this.#tombstones) {
      if (at < before.getTime()) {
        this.#tombstones.delete(id);
        pruned += 1;
      }
    }
    return pruned;
  }

  async revokeForClient(clientId: string, reason: string, at: Date): Promise<string[]> {
    return [...this.#tables.sessions.values()]
      .filter((session) => session.clientId === clientId && session.revokedAt === null)
      .sort(byCreatedAtThenId((session) => session.id))
      .filter((session) => revokeSessionAndTokens(this.#tables, session.id, reason, at))
      .map((session) => session.id);
  }

  async listRevokedSelected(selection: RevocationSelection, since: Date): Promise<string[]> {
    const selected = (session: SessionRecord): boolean => {
      if ('clientId' in selection) return session.clientId === selection.clientId;
      return (
        session.userId === selection.userId &&
        session.id !== selection.exceptId &&
        (selection.ids === undefined || selection.ids.includes(session.id))
      );
    };
    return [...this.#tables.sessions.values()]
      .filter((s) => s.revokedAt !== null && s.revokedAt.getTime() >= since.getTime() && selected(s))
      .sort((a, b) => a.revokedAt!.getTime() - b.revokedAt!.getTime() || (a.id < b.id ? -1 : 1))
      .map((session) => session.id);
  }

  async listRevokedSince(after: { revokedAt: Date; id: string }, limit: number): Promise<RevokedSession[]> {
    const afterMs = after.revokedAt.getTime();
    const revoked = new Map<string, RevokedSession>();
    const consider = (id: string, at: number) => {
      if (at > afterMs || (at === afterMs && id > after.id)) revoked.set(id, { id, revokedAt: new Date(at) });
    };
    for (const session of this.#tables.sessions.values()) {
      if (session.kind === 'jwt' && session.revokedAt !== null)
        consider(session.id, session.revokedAt.getTime());
    }
    for (const [id, at] of this.#tombstones) consider(id, at);
    return [...revoked.values()]
      .sort(
        (a, b) => a.revokedAt.getTime() - b.revokedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      )
      .slice(0, limit);
  }

  #sessionsOf(userId: string): SessionRecord[] {
    return [...this.#tables.sessions.values()]
      .filter((session) => session.userId === userId)
      .sort(byCreatedAtThenId((session) => session.id));
  }
}
