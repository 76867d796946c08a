/**
 * The port through which flows hash and check passwords. It lives with the flows that use it (not in
 * stores/types.ts: it holds no state) and names no algorithm; the argon2id adapter is in
 * src/platform/argon2-password-hasher.ts and is chosen at start-up (src/server/create-deps.ts).
 */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** True when the stored hash was made with other parameters than today's: rehash on next login. */
  needsRehash(passwordHash: string): boolean;
}
