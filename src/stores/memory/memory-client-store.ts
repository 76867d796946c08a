import { ClientIdTakenError } from '../types.js';
import type { ClientRecord, ClientStore } from '../types.js';
import { copyRecord } from './memory-tables.js';

/** OAuth clients in process memory, with the semantics of the SQL adapter (primary key on client_id). */
export class MemoryClientStore implements ClientStore {
  readonly #clients = new Map<string, ClientRecord>();

  async create(client: ClientRecord): Promise<ClientRecord> {
    if (this.#clients.has(client.clientId)) throw new ClientIdTakenError();
    this.#clients.set(client.clientId, copyRecord(client));
    return copyRecord(client);
  }

  async findById(clientId: string): Promise<ClientRecord | undefined> {
    const record = this.#clients.get(clientId);
    return record && copyRecord(record);
  }

  async list(): Promise<ClientRecord[]> {
    return [...this.#clients.values()]
      .sort(
        (a, b) =>
          a.createdAt.getTime() - b.createdAt.getTime() ||
          (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0),
      )
      .map(copyRecord);
  }

  async remove(clientId: string): Promise<boolean> {
    return this.#clients.delete(clientId);
  }
}
