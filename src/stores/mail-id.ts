import { cryptoRandom } from '../platform/random.js';

/** A mail outbox row id: 128 random bits from the platform's randomness, base64url. */
export function newMailId(): string {
  return Buffer.from(cryptoRandom.bytes(16)).toString('base64url');
}
