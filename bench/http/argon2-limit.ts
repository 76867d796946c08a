import { createArgon2Hasher, OWASP_ARGON2ID } from '../../src/platform/argon2-password-hasher.js';

/**
 * The raw hashing limit: argon2id hashes per second with the server's parameters and as many in
 * flight as libuv's thread pool runs at once (what the login route can use). Logins can at best
 * approach this rate; the login-storm ratio is measured against it.
 */
export async function measureArgon2Limit(durationMs: number): Promise<number> {
  const hasher = createArgon2Hasher(OWASP_ARGON2ID);
  const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const deadline = performance.now() + durationMs;
  let hashes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        await hasher.hash('bench password 123');
        hashes++;
      }
    }),
  );
  return hashes / ((performance.now() - started) / 1000);
}
