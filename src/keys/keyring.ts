import type { JwsAlgorithm } from '../token/algorithms.js';
import type { JwsKey, KeyLookup } from '../token/key.js';
import { buildJwks, type JwksDocument } from './jwks.js';

/**
 * The keys a server signs and verifies with, looked up by kid. One of them is the signing key.
 * With keys from the store it holds the whole lifecycle (flows/keys/rotate-keys.ts): the `next` key
 * (published, verifies, does not sign yet), the `current` key (the signing key) and `retired` keys
 * (verify the tokens they signed until those expire). Every change bumps `version`.
 */
export class KeyRing implements KeyLookup {
  private readonly byKid = new Map<string, JwsKey>();
  private signingKid: string | undefined;
  private changes = 0;

  constructor(keys: Iterable<JwsKey> = [], options: { signingKid?: string } = {}) {
    for (const key of keys) this.add(key);
    if (options.signingKid !== undefined) this.setSigningKey(options.signingKid);
    else {
      const first = [...this.byKid.values()].find((key) => key.signingKey !== undefined);
      this.signingKid = first?.kid;
    }
  }

  get version(): number {
    return this.changes;
  }

  add(key: JwsKey): void {
    const existing = this.byKid.get(key.kid);
    if (existing !== undefined && existing !== key)
      throw new TypeError(`KeyRing: another key already has kid ${key.kid}.`);
    this.byKid.set(key.kid, key);
    this.changes++;
  }

  remove(kid: string): void {
    if (kid === this.signingKid)
      throw new TypeError('KeyRing: the signing key cannot be removed; switch first.');
    if (this.byKid.delete(kid)) this.changes++;
  }

  setSigningKey(kid: string): void {
    const key = this.byKid.get(kid);
    if (key?.signingKey === undefined)
      throw new TypeError(`KeyRing: no key ${kid} with a private part to sign with.`);
    this.signingKid = kid;
    this.changes++;
  }

  get signingKey(): JwsKey {
    const key = this.signingKid === undefined ? undefined : this.byKid.get(this.signingKid);
    if (key === undefined) throw new TypeError('KeyRing: no signing key.');
    return key;
  }

  findKey(kid: string | undefined, alg: JwsAlgorithm): JwsKey | undefined {
    if (kid !== undefined) return this.byKid.get(kid);
    let only: JwsKey | undefined;
    for (const key of this.byKid.values()) {
      if (key.alg !== alg) continue;
      if (only !== undefined) return undefined; // ambiguous without a kid
      only = key;
    }
    return only;
  }

  has(kid: string): boolean {
    return this.byKid.has(kid);
  }

  list(): JwsKey[] {
    return [...this.byKid.values()];
  }

  jwks(): JwksDocument {
    return buildJwks(this.byKid.values());
  }
}
