import type { Config } from '../../config/types.js';
import { FlowError } from '../flow-error.js';

/**
 * NIST SP 800-63B §5.1.1.2: a length floor, a generous ceiling, no composition rules and no silent
 * truncation (the whole string is hashed). Length counts Unicode code points, after NFC normalisation
 * so the same password typed on two keyboards is the same password.
 */
export function normalizePassword(password: string): string {
  return password.normalize('NFC');
}

/** A lone UTF-16 surrogate: not a character, and UTF-8 (what argon2 hashes) turns every one into U+FFFD. */
const LONE_SURROGATE = /\p{Cs}/u;

export function checkPasswordPolicy(password: string, policy: Config['password']): void {
  // Refused rather than hashed: "\ud800" and "\udfff" would both hash as U+FFFD, one password for many.
  if (LONE_SURROGATE.test(password)) {
    throw new FlowError('weak_password', 'The password must be valid Unicode text.');
  }
  const length = [...password].length;
  if (length < policy.minLength) {
    throw new FlowError(
      'weak_password',
      `The password must be at least ${policy.minLength} characters long.`,
    );
  }
  if (length > policy.maxLength) {
    throw new FlowError('weak_password', `The password must be at most ${policy.maxLength} characters long.`);
  }
}
