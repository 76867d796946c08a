import type { Operation } from '../token/cases.js';
import type { VerifyFixture } from './fixture.js';

/** One row of the verify table: a library set up to verify the fixture's token. */
export interface VerifyContender {
  readonly name: string;
  /** What the table prints. */
  readonly label: string;
  /** One verification of the fixture's token, returning its exp (the timing loop checksums it). */
  readonly operation: Operation;
  /** Runs before anything is timed; throws unless the contender accepts the token and refuses the bad ones. */
  readonly check: () => Promise<void>;
}

/** How a library verifies: sync APIs run in a tight loop, async ones are awaited one call at a time. */
export type VerifyFunction =
  | { readonly mode: 'sync'; readonly verify: (token: string) => number }
  | { readonly mode: 'async'; readonly verify: (token: string) => Promise<number> };

/**
 * Builds a contender from a verify function that returns the token's exp. The same function is
 * checked first: it must return the fixture's exp for the token and throw for every refused token,
 * so no row can be fast by skipping the signature, the audience or the typ check.
 */
export function verifyContender(
  fixture: VerifyFixture,
  name: string,
  label: string,
  fn: VerifyFunction,
): VerifyContender {
  const { token } = fixture;
  const operation: Operation =
    fn.mode === 'sync'
      ? { mode: 'sync', run: () => fn.verify(token) }
      : { mode: 'async', run: () => fn.verify(token) };
  const probe = async (candidate: string): Promise<number> => fn.verify(candidate);
  return {
    name,
    label,
    operation,
    check: async () => {
      const exp = await probe(token).catch((cause: unknown) => {
        throw new Error(`${name}: refused the benchmark token.`, { cause });
      });
      if (exp !== fixture.claims.exp)
        throw new Error(`${name}: returned ${String(exp)}, not the token's exp.`);
      for (const [what, bad] of Object.entries(fixture.refused)) {
        const accepted = await probe(bad).then(
          () => true,
          () => false,
        );
        if (accepted) throw new Error(`${name}: accepted a token it must refuse (${what}).`);
      }
    },
  };
}
