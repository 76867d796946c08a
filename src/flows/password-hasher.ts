import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 exports `Algorithm` as an ambient const enum, which verbatimModuleSyntax cannot
// import; its Argon2id member is 2.
const ARGON2ID = 2;

/** Hashes and checks passwords. The argon2 implementation runs on libuv's thread pool, off the event loop. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** True when the stored hash was made with other parameters than today's: rehash on next login. */
  needsRehash(passwordHash: string): boolean;
}

/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1. */
export const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function createArgon2Hasher(
  params: { memoryCost: number; timeCost: number; parallelism: number } = OWASP_ARGON2ID,
): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params };
  const expectedPrefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  return {
    hash: (password) => hash(password, options),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password, options);
      } catch {
        return false; // a malformed stored hash never authenticates anyone
      }
    },
    needsRehash: (passwordHash) => !passwordHash.startsWith(expectedPrefix),
  };
}
