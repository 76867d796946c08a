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

  async replace(name: string, value: string): Promise<void> {
    if (this.#values.has(name)) this.#values.set(name, value);
  }

  async listByPrefix(prefix: string): Promise<Array<{ name: string; value: string }>> {
    return [...this.#values]
      .filter(([name]) => name.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, value]) => ({ name, value }));
  }

  async delete(name: string): Promise<void> {
    this.#values.delete(name);
  }
}
