import { EmailTakenError } from '../types.js';
import type { NewUser, UserPatch, UserRecord, UserStore } from '../types.js';
import {
  byCreatedAtThenId,
  constraintFailed,
  copyRecord,
  deleteFactorsOfUser,
  deleteSessionsOfUser,
} from './memory-tables.js';
import type { MemoryTables } from './memory-tables.js';

export class MemoryUserStore implements UserStore {
  readonly #tables: MemoryTables;
  /** email → id: the UNIQUE(email) index. */
  readonly #idsByEmail = new Map<string, string>();

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(user: NewUser): Promise<UserRecord> {
    if (this.#idsByEmail.has(user.email)) throw new EmailTakenError();
    if (this.#tables.users.has(user.id)) throw constraintFailed('users.id');
    const record: UserRecord = {
      ...copyRecord(user),
      disabled: false,
      failedLoginCount: 0,
      lockedUntil: null,
      emailVerifiedAt: null,
      updatedAt: new Date(user.createdAt),
    };
    this.#tables.users.set(record.id, record);
    this.#idsByEmail.set(record.email, record.id);
    return copyRecord(record);
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const record = this.#tables.users.get(id);
    return record && copyRecord(record);
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const id = this.#idsByEmail.get(email);
    return id === undefined ? undefined : this.findById(id);
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const record = this.#tables.users.get(id);
    if (record === undefined) return undefined;
    const movesTo = patch.email !== undefined && patch.email !== record.email ? patch.email : undefined;
    if (movesTo !== undefined && this.#idsByEmail.has(movesTo)) throw new EmailTakenError();
    const updated = applyUserPatch(record, copyRecord(patch));
    this.#tables.users.set(id, updated);
    if (movesTo !== undefined) {
      this.#idsByEmail.delete(record.email);
      this.#idsByEmail.set(movesTo, id);
    }
    return copyRecord(updated);
  }

  async list(options: { limit?: number; offset?: number } = {}): Promise<UserRecord[]> {
    const offset = options.offset ?? 0;
    const end = options.limit === undefined ? undefined : offset + options.limit;
    const sorted = [...this.#tables.users.values()].sort(byCreatedAtThenId((user) => user.id));
    return sorted.slice(offset, end).map(copyRecord);
  }

  async delete(id: string): Promise<boolean> {
    const record = this.#tables.users.get(id);
    if (record === undefined) return false;
    deleteSessionsOfUser(this.#tables, id);
    deleteFactorsOfUser(this.#tables, id);
    this.#tables.users.delete(id);
    this.#idsByEmail.delete(record.email);
    return true;
  }
}

/** Fields left undefined in the patch keep their value; `null` clears a nullable field. */
function applyUserPatch(record: UserRecord, patch: UserPatch): UserRecord {
  return {
    ...record,
    email: patch.email ?? record.email,
    name: patch.name !== undefined ? patch.name : record.name,
    passwordHash: patch.passwordHash ?? record.passwordHash,
    roles: patch.roles ?? record.roles,
    disabled: patch.disabled ?? record.disabled,
    failedLoginCount: patch.failedLoginCount ?? record.failedLoginCount,
    lockedUntil: patch.lockedUntil !== undefined ? patch.lockedUntil : record.lockedUntil,
    emailVerifiedAt: patch.emailVerifiedAt !== undefined ? patch.emailVerifiedAt : record.emailVerifiedAt,
    updatedAt: patch.updatedAt,
  };
}
