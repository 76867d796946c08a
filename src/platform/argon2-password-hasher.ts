import { hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 exports `Algorithm` as an ambient const enum, which verbatimModuleSyntax cannot
// import; its Argon2id member is 2.
const ARGON2ID = 2;

/** OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1. */
export const OWASP_ARGON2ID = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The adapter's shape: the flows' PasswordHasher port, restated so platform/ imports nothing above it. */
export interface Argon2Hasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  needsRehash(passwordHash: string): boolean;
}

/**
 * The argon2id adapter of the PasswordHasher port (src/flows/auth/password-hasher.ts), chosen at start-up
 * in src/server/create-deps.ts; it runs on libuv's thread pool, off the event loop.
 */
export function createArgon2Hasher(
  params: { memoryCost: number; timeCost: number; parallelism: number } = OWASP_ARGON2ID,
): Argon2Hasher {
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
