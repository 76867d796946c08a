import { randomBytes } from 'node:crypto';

/** The only source of randomness for the flows, so tests can make it deterministic. */
export interface Random {
  bytes(length: number): Uint8Array;
}

export const cryptoRandom: Random = { bytes: (length) => randomBytes(length) };
