import { IMPLS, type BenchCase } from './cases.js';
import type { Fixture } from './fixtures.js';
import { fastJwtCases } from './impls/fast-jwt.js';
import { joseCases } from './impls/jose.js';
import { jsonwebtokenCases } from './impls/jsonwebtoken.js';
import { nodeCryptoCases } from './impls/node-crypto.js';
import { tesseraCases } from './impls/tessera.js';

/**
 * Every implementation's sign and verify cases for one algorithm, in report order. Each library's
 * file says what its verifier checks, so the comparison's fairness can be read off the source.
 */
export function buildCases(fixture: Fixture): BenchCase[] {
  const cases = [
    ...tesseraCases(fixture),
    ...nodeCryptoCases(fixture),
    ...fastJwtCases(fixture),
    ...joseCases(fixture),
    ...jsonwebtokenCases(fixture),
  ];
  const rank = (c: BenchCase): number => (c.op === 'sign' ? 0 : IMPLS.length) + IMPLS.indexOf(c.impl);
  return cases.sort((a, b) => rank(a) - rank(b));
}
