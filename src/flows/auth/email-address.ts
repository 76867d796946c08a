import { FlowError } from '../flow-error.js';

export const MAX_EMAIL_LENGTH = 254; // RFC 5321 §4.5.3.1.3 path limit less the angle brackets

// One "@", a non-empty local part, a dotted domain; no spaces, control or invisible formatting
// characters (bidi overrides would let one address pose as another in admin views), no lone
// surrogates. Deliverability is a mail server's question; this keeps junk out of the user table.
export const EMAIL_SHAPE =
  /^[^\s@\p{Cc}\p{Cf}\p{Cs}]+@[^\s@\p{Cc}\p{Cf}\p{Cs}]+\.[^\s@\p{Cc}\p{Cf}\p{Cs}]+$/u;

/** Normalises an e-mail for storage and lookup: trimmed, NFC, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFC').toLowerCase();
}

export function parseEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > MAX_EMAIL_LENGTH || !EMAIL_SHAPE.test(normalized)) {
    throw new FlowError('invalid_email', 'The e-mail address is not valid.');
  }
  return normalized;
}
