import type { BenchCase, ImplName, OpResult } from './cases.js';
import { tamperedToken, type Fixture } from './fixtures.js';
import { assertSignedCorrectly } from './oracle.js';

/**
 * Builders for the common case shapes, so each library file only says how it signs and verifies.
 * Verify functions take the token and return the verified `exp`; the measured operation always
 * verifies the fixture's token, the checks also feed a tampered one.
 */

export function syncSignCase(fixture: Fixture, impl: ImplName, sign: () => string): BenchCase {
  return {
    alg: fixture.alg,
    op: 'sign',
    impl,
    operation: { mode: 'sync', run: sign },
    check: () => assertSignedCorrectly(fixture, sign(), `${impl} ${fixture.alg} sign`),
  };
}

export function asyncSignCase(fixture: Fixture, impl: ImplName, sign: () => Promise<string>): BenchCase {
  return {
    alg: fixture.alg,
    op: 'sign',
    impl,
    operation: { mode: 'async', run: sign },
    check: async () => assertSignedCorrectly(fixture, await sign(), `${impl} ${fixture.alg} sign`),
  };
}

export function syncVerifyCase(
  fixture: Fixture,
  impl: ImplName,
  verify: (token: string) => number,
): BenchCase {
  const { token } = fixture;
  return {
    alg: fixture.alg,
    op: 'verify',
    impl,
    operation: { mode: 'sync', run: () => verify(token) },
    check: () => checkVerifier(fixture, impl, async (candidate) => verify(candidate)),
  };
}

export function asyncVerifyCase(
  fixture: Fixture,
  impl: ImplName,
  verify: (token: string) => Promise<number>,
): BenchCase {
  const { token } = fixture;
  return {
    alg: fixture.alg,
    op: 'verify',
    impl,
    operation: { mode: 'async', run: () => verify(token) },
    check: () => checkVerifier(fixture, impl, verify),
  };
}

/** A verifier must accept the fixture's token (returning its exp) and refuse a tampered copy. */
async function checkVerifier(
  fixture: Fixture,
  impl: ImplName,
  verify: (token: string) => Promise<OpResult>,
): Promise<void> {
  const who = `${impl} ${fixture.alg} verify`;
  let result: OpResult;
  try {
    result = await verify(fixture.token);
  } catch (cause) {
    throw new Error(`${who}: refused the benchmark token.`, { cause });
  }
  if (result !== fixture.claims.exp) {
    throw new Error(`${who}: returned ${String(result)}, not the token's exp.`);
  }
  const refused = await verify(tamperedToken(fixture.token)).then(
    () => false,
    () => true,
  );
  if (!refused) throw new Error(`${who}: accepted a token with a tampered signature.`);
}
