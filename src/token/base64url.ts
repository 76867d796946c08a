import { TokenError } from './errors.js';

// Strict base64url (RFC 7515 §2, RFC 4648 §5): only the URL-safe alphabet, no padding, no whitespace,
// and canonical (the unused low bits of the last character are zero), so that every byte string has
// exactly one textual form. Buffer's own decoder is lenient about all of these, hence the checks.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_OF = new Uint8Array(128);
ALPHABET.split('').forEach((ch, index) => (VALUE_OF[ch.charCodeAt(0)] = index));
// Sticky: matches the longest run of alphabet characters from lastIndex. V8 compiles it to a tight
// loop, about 3x faster than a charCodeAt loop over a 342-character RSA signature.
const ALPHABET_RUN = /[A-Za-z0-9_-]*/y;

export function isStrictBase64url(text: string, start = 0, end = text.length): boolean {
  const length = end - start;
  if (length % 4 === 1) return false;
  ALPHABET_RUN.lastIndex = start;
  ALPHABET_RUN.test(text);
  if (ALPHABET_RUN.lastIndex < end) return false; // a character outside the alphabet before `end`
  if (length % 4 === 0) return true;
  const lastValue = VALUE_OF[text.charCodeAt(end - 1)]!;
  // 2 trailing chars carry 8 bits (4 unused), 3 carry 16 bits (2 unused).
  const unusedMask = length % 4 === 2 ? 0b001111 : 0b000011;
  return (lastValue & unusedMask) === 0;
}

/**
 * Decodes a long segment (an RSA or ECDSA signature) and proves it strict by round trip: Buffer's
 * decoder is lenient, its encoder canonical, so the text equals the re-encoding exactly when it was
 * strict base64url. Cheaper than checking a 342-character RSA signature before decoding it.
 */
export function decodeBase64urlRoundTrip(segment: string, what: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (bytes.toString('base64url') !== segment) {
    throw new TokenError('token_malformed', `The ${what} is not strict base64url.`);
  }
  return bytes;
}

export function decodeBase64url(segment: string, what: string): Buffer {
  if (!isStrictBase64url(segment)) {
    throw new TokenError('token_malformed', `The ${what} is not strict base64url.`);
  }
  return Buffer.from(segment, 'base64url');
}

export function encodeBase64url(data: Uint8Array | string): string {
  return (
    typeof data === 'string'
      ? Buffer.from(data, 'utf8')
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  ).toString('base64url');
}
