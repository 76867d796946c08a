import { describe, expect, it } from 'vitest';
import {
  ALGORITHMS,
  isJwsAlgorithm,
  JWS_ALGORITHMS,
  MIN_RSA_MODULUS_BITS,
} from '../../../src/token/algorithms.js';

describe('the algorithm table', () => {
  it('has one frozen entry per algorithm, naming itself', () => {
    expect(Object.isFrozen(ALGORITHMS)).toBe(true);
    expect(Object.keys(ALGORITHMS).sort()).toEqual([...JWS_ALGORITHMS].sort());
    for (const alg of JWS_ALGORITHMS) expect(ALGORITHMS[alg].alg).toBe(alg);
  });

  it('never lists "none"', () => {
    expect(JWS_ALGORITHMS).not.toContain('none');
  });

  it.each([
    ['HS256', 32],
    ['HS384', 48],
    ['HS512', 64],
  ] as const)('%s needs a secret as long as its hash (%i bytes)', (alg, bytes) => {
    expect(ALGORITHMS[alg].minSecretBytes).toBe(bytes);
  });

  it('refuses RSA moduli under 2048 bits', () => {
    expect(MIN_RSA_MODULUS_BITS).toBe(2048);
  });
});

describe('isJwsAlgorithm', () => {
  it.each(JWS_ALGORITHMS)('accepts %s', (alg) => {
    expect(isJwsAlgorithm(alg)).toBe(true);
  });

  it.each([
    'none',
    'None',
    'hs256',
    'HS256 ',
    'ES256K',
    'RS1',
    '',
    'toString',
    '__proto__',
    'constructor',
    'valueOf',
  ])('refuses %j (own members only, never inherited ones)', (alg) => {
    expect(isJwsAlgorithm(alg)).toBe(false);
  });

  it.each([undefined, null, 256, ['HS256'], { alg: 'HS256' }])('refuses the non-string %j', (alg) => {
    expect(isJwsAlgorithm(alg)).toBe(false);
  });
});
