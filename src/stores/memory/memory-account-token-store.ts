import type {
  AccountTokenPurpose,
  AccountTokenRecord,
  AccountTokenStore,
  NewAccountToken,
} from '../account-tokens.js';
import { constraintFailed, copyRecord, type MemoryTables } from './memory-tables.js';

/** Account links in process memory; every method runs in one turn of the event loop, hence atomic. */
export class MemoryAccountTokenStore implements AccountTokenStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async issue(token: NewAccountToken): Promise<void> {
    if (!this.#tables.users.has(token.userId)) throw constraintFailed('account_tokens.user_id');
    if (this.#tables.accountTokens.has(token.id)) throw constraintFailed('account_tokens.id');
    for (const other of this.#tables.accountTokens.values()) {
      if (other.userId !== token.userId || other.purpose !== token.purpose) continue;
      if (other.usedAt !== null || other.revokedAt !== null || !isOlder(other, token)) continue;
      other.revokedAt = new Date(token.createdAt);
    }
    this.#tables.accountTokens.set(token.id, { ...copyRecord(token), usedAt: null, revokedAt: null });
  }

  async findById(id: string): Promise<AccountTokenRecord | undefined> {
    const record = this.#tables.accountTokens.get(id);
    return record && copyRecord(record);
  }

  async consume(id: string, at: Date): Promise<boolean> {
    const record = this.#tables.accountTokens.get(id);
    if (record === undefined || record.usedAt !== null || record.revokedAt !== null) return false;
    if (record.expiresAt.getTime() <= at.getTime()) return false;
    record.usedAt = new Date(at);
    return true;
  }

  async revokeForUser(userId: string, purposes: readonly AccountTokenPurpose[], at: Date): Promise<number> {
    let count = 0;
    for (const record of this.#tables.accountTokens.values()) {
      if (record.userId !== userId || !purposes.includes(record.purpose)) continue;
      if (record.usedAt !== null || record.revokedAt !== null) continue;
      record.revokedAt = new Date(at);
      count += 1;
    }
    return count;
  }

  async pruneExpired(before: Date): Promise<number> {
    let count = 0;
    for (const record of [...this.#tables.accountTokens.values()]) {
      if (record.expiresAt.getTime() >= before.getTime()) continue;
      this.#tables.accountTokens.delete(record.id);
      count += 1;
    }
    return count;
  }
}

/** Older by creation time, ties broken by id: the order in which the newest link wins. */
function isOlder(
  a: Pick<AccountTokenRecord, 'createdAt' | 'id'>,
  b: Pick<AccountTokenRecord, 'createdAt' | 'id'>,
) {
  const diff = a.createdAt.getTime() - b.createdAt.getTime();
  return diff < 0 || (diff === 0 && a.id < b.id);
}
