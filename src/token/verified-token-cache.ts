import type { JoseHeader } from './jose-header.js';

export interface CachedVerification {
  readonly result: { readonly header: JoseHeader; readonly payload: Readonly<Record<string, unknown>> };
  /** NumericDate seconds: the entry is usable while validFrom <= now < validUntil. */
  readonly validFrom: number;
  readonly validUntil: number;
  /** The key lookup's version when the token verified; any key change invalidates the entry. */
  readonly keysVersion: number;
}

interface Node {
  readonly token: string;
  entry: CachedVerification;
  older: Node | undefined;
  newer: Node | undefined;
}

/**
 * A bounded LRU of fully verified tokens, keyed by the whole token string: never by a part of it,
 * so a token with a changed signature or payload can never hit another token's entry.
 *
 * A Map finds the entry and a doubly linked list keeps the recency order, so a hit costs one hash of
 * the (~300-character) token and a few pointer moves; re-inserting into the Map instead would hash it
 * twice more on every hit.
 */
export class VerifiedTokenCache {
  private readonly nodes = new Map<string, Node>();
  private oldest: Node | undefined;
  private newest: Node | undefined;

  constructor(readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError('cache.maxEntries must be a positive integer.');
    }
  }

  get size(): number {
    return this.nodes.size;
  }

  get(token: string, now: number, keysVersion: number): CachedVerification | undefined {
    const node = this.nodes.get(token);
    if (node === undefined) return undefined;
    const { entry } = node;
    if (now >= entry.validUntil || now < entry.validFrom || entry.keysVersion !== keysVersion) {
      this.remove(node);
      return undefined;
    }
    if (node !== this.newest) {
      this.unlink(node);
      this.append(node);
    }
    return entry;
  }

  set(token: string, entry: CachedVerification): void {
    const existing = this.nodes.get(token);
    if (existing !== undefined) this.remove(existing);
    else if (this.nodes.size >= this.maxEntries && this.oldest !== undefined) this.remove(this.oldest);
    const node: Node = { token, entry, older: undefined, newer: undefined };
    this.nodes.set(token, node);
    this.append(node);
  }

  clear(): void {
    this.nodes.clear();
    this.oldest = this.newest = undefined;
  }

  private remove(node: Node): void {
    this.nodes.delete(node.token);
    this.unlink(node);
  }

  private unlink(node: Node): void {
    if (node.older === undefined) this.oldest = node.newer;
    else node.older.newer = node.newer;
    if (node.newer === undefined) this.newest = node.older;
    else node.newer.older = node.older;
    node.older = node.newer = undefined;
  }

  private append(node: Node): void {
    node.older = this.newest;
    if (this.newest === undefined) this.oldest = node;
    else this.newest.newer = node;
    this.newest = node;
  }
}
