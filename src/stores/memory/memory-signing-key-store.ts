import type { SigningKeyRecord, SigningKeyStore } from '../types.js';
import { byCreatedAtThenId, constraintFailed, copyRecord } from './memory-tables.js';

export class MemorySigningKeyStore implements SigningKeyStore {
  readonly #keys = new Map<string, SigningKeyRecord>();

  async list(): Promise<SigningKeyRecord[]> {
    return [...this.#keys.values()].sort(byCreatedAtThenId((key) => key.kid)).map(copyRecord);
  }

  async insert(record: SigningKeyRecord): Promise<void> {
    if (this.#keys.has(record.kid)) throw constraintFailed('signing_keys.kid');
    this.#keys.set(record.kid, copyRecord(record));
  }

  /** An unknown kid changes nothing, as an UPDATE that matches no row. */
  async setState(kid: string, state: SigningKeyRecord['state'], at: Date): Promise<void> {
    const record = this.#keys.get(kid);
    if (record === undefined) return;
    record.state = state;
    record.stateChangedAt = new Date(at.getTime());
  }

  async remove(kid: string): Promise<void> {
    this.#keys.delete(kid);
  }

  async replacePrivateJwk(kid: string, privateJwk: string): Promise<void> {
    const record = this.#keys.get(kid);
    if (record !== undefined) record.privateJwk = privateJwk;
  }
}
