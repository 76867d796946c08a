import { InvalidValue, type Codec } from './codec.js';
import { text } from './scalar-codecs.js';

const MAX_EMAIL_LENGTH = 254; // RFC 5321 §4.5.3.1.3 path limit less the angle brackets
// The same shape the register flow accepts (src/flows/auth/email-address.ts), so the bootstrap admin can log in.
const EMAIL_SHAPE = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

export const email = text(
  'must look like an e-mail address (name@example.com)',
  (value) => value.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(value.trim()),
);

/** Its length is checked against the password policy once that is known (cross-checks.ts). */
export const password = text('must be a non-empty password', (value) => value !== '');

const HEX_KEY = /^[0-9a-f]{64}$/i;
const BASE64_KEY = /^(?:[A-Za-z0-9+/]{43}=?|[A-Za-z0-9_-]{43})$/;

/** AES-256-GCM needs exactly 32 bytes; accepting both spellings saves a conversion step (`openssl rand -hex 32`). */
export const masterKey: Codec<string> = {
  rule: 'must be 32 bytes written as base64 (43-44 characters) or hex (64 characters)',
  parse(input) {
    if (typeof input !== 'string') throw new InvalidValue();
    const bytes = HEX_KEY.test(input)
      ? 32
      : BASE64_KEY.test(input)
        ? Buffer.from(input.replace(/-/g, '+').replace(/_/g, '/'), 'base64').length
        : 0;
    if (bytes !== 32) throw new InvalidValue();
    return input;
  },
  format: () => null,
};
