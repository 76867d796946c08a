import type { NewSecondFactor, SecondFactorRecord, SecondFactorStore } from '../second-factors.js';
import {
  byCreatedAtThenId,
  constraintFailed,
  copyRecord,
  deleteFactorsOfUser,
  type MemoryTables,
} from './memory-tables.js';

/** Second factors and recovery codes in process memory; every method completes in one turn (atomic). */
export class MemorySecondFactorStore implements SecondFactorStore {
  readonly #tables: MemoryTables;

  constructor(tables: MemoryTables) {
    this.#tables = tables;
  }

  async create(factor: NewSecondFactor): Promise<SecondFactorRecord> {
    if (!this.#tables.users.has(factor.userId))
      throw constraintFailed('second_factors.user_id references users');
    if (this.#tables.secondFactors.has(factor.id)) throw constraintFailed('second_factors.id');
    const record: SecondFactorRecord = { ...copyRecord(factor), confirmedAt: null, lastUsedStep: null };
    this.#tables.secondFactors.set(record.id, record);
    return copyRecord(record);
  }

  async listForUser(userId: string): Promise<SecondFactorRecord[]> {
    return [...this.#tables.secondFactors.values()]
      .filter((factor) => factor.userId === userId)
      .sort(byCreatedAtThenId<SecondFactorRecord>((factor) => factor.id))
      .map(copyRecord);
  }

  async findById(id: string): Promise<SecondFactorRecord | undefined> {
    const record = this.#tables.secondFactors.get(id);
    return record && copyRecord(record);
  }

  async acceptStep(id: string, step: number, at: Date): Promise<boolean> {
    const record = this.#tables.secondFactors.get(id);
    if (record === undefined) return false;
    if (record.lastUsedStep !== null && record.lastUsedStep >= step) return false;
    record.lastUsedStep = step;
    record.confirmedAt ??= new Date(at);
    return true;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    const record = this.#tables.secondFactors.get(id);
    if (record === undefined || record.userId !== userId) return false;
    return this.#tables.secondFactors.delete(id);
  }

  async removePending(userId: string): Promise<number> {
    let removed = 0;
    for (const factor of [...this.#tables.secondFactors.values()]) {
      if (factor.userId !== userId || factor.confirmedAt !== null) continue;
      this.#tables.secondFactors.delete(factor.id);
      removed++;
    }
    return removed;
  }

  async removeAllForUser(userId: string): Promise<number> {
    return deleteFactorsOfUser(this.#tables, userId);
  }

  async replaceRecoveryCodes(userId: string, codeHashes: readonly string[], _at: Date): Promise<void> {
    if (!this.#tables.users.has(userId)) throw constraintFailed('recovery_codes.user_id references users');
    this.#tables.recoveryCodes.set(
      userId,
      codeHashes.map((codeHash) => ({ codeHash, usedAt: null })),
    );
  }

  async useRecoveryCode(userId: string, codeHash: string, at: Date): Promise<boolean> {
    const code = this.#tables.recoveryCodes.get(userId)?.find((entry) => entry.codeHash === codeHash);
    if (code === undefined || code.usedAt !== null) return false;
    code.usedAt = new Date(at);
    return true;
  }

  async countUnusedRecoveryCodes(userId: string): Promise<number> {
    return (this.#tables.recoveryCodes.get(userId) ?? []).filter((code) => code.usedAt === null).length;
  }
}
