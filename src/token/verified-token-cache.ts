import type { JoseHeader } from './jose-header.js';

export interface CachedVerification {
  readonly result: { readonly header: JoseHeader; readonly payload: Readonly<Record<string, unknown>> };
  /** NumericDate seconds: the entry is usable while validFrom <= now < validUntil. */
  readonly validFrom: number;
  readonly validUntil: number;
  /** The key lookup's version when the token verified; any key change invalidates the entry. */
  readonly keysVersion: number;
}

/**
 * A bounded LRU of fully verified tokens, keyed by the whole token string: never by a part of it,
 * so a token with a changed signature or payload can never hit another token's entry. A Map keeps
 * insertion order, so re-inserting on a hit makes the first key the least recently used.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, CachedVerification>();

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('cache.maxEntries must be a positive integer.');
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string, now: number, keysVersion: number): CachedVerification | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    this.entries.delete(token);
    if (now >= entry.validUntil || now < entry.validFrom || entry.keysVersion !== keysVersion)
      return undefined;
    this.entries.set(token, entry);
    return entry;
  }

  set(token: string, entry: CachedVerification): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, entry);
  }

  clear(): void {
    this.entries.clear();
  }
}
