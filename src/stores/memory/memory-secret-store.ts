import type { SecretStore } from '../types.js';

export class MemorySecretStore implements SecretStore {
  readonly #values = new Map<string, string>();

  /** No `await` between the lookup and the write, so the first caller's value is the one that stays. */
  async getOrCreate(name: string, create: () => string): Promise<string> {
    const existing = this.#values.get(name);
    if (existing !== undefined) return existing;
    const value = create();
    this.#values.set(name, value);
    return value;
  }
}
