/**
 * The ROCA fingerprint (CVE-2017-15361; Nemec et al., "The Return of Coppersmith's Attack", CCS 2017).
 * Infineon's RSALib built every prime as k·M + (65537^a mod M), M a primorial, so a modulus n = p·q
 * is, modulo each small prime r dividing M, a power of 65537. A random modulus passes that test for
 * all 38 primes below with negligible probability; RSALib's always do, and are factorable.
 */
const FINGERPRINT_PRIMES = [
  3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107,
  109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167,
] as const;

const GENERATOR = 65_537;

/** For each prime r: the residues mod r that are powers of 65537 (the subgroup it generates). */
const POWERS_OF_GENERATOR: readonly ReadonlySet<number>[] = FINGERPRINT_PRIMES.map((prime) => {
  const powers = new Set<number>();
  let power = 1;
  do {
    powers.add(power);
    power = (power * GENERATOR) % prime;
  } while (power !== 1);
  return powers;
});

/** True when the modulus carries the ROCA fingerprint: n mod r is a power of 65537 for every prime r. */
export function hasRocaFingerprint(modulus: bigint): boolean {
  return FINGERPRINT_PRIMES.every((prime, index) =>
    POWERS_OF_GENERATOR[index]!.has(Number(modulus % BigInt(prime))),
  );
}
