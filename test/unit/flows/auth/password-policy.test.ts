import { describe, expect, it } from 'vitest';
import { FlowError } from '../../../../src/flows/flow-error.js';
import { checkPasswordPolicy, normalizePassword } from '../../../../src/flows/auth/password-policy.js';

const POLICY = { minLength: 8, maxLength: 128 };
const EMOJI = '\u{1F600}'; // 😀: one code point, two UTF-16 code units
const E_ACUTE_NFD = 'e\u0301'; // two code points, one after NFC

function weak(password: string, policy = POLICY): FlowError {
  let caught: unknown;
  try {
    checkPasswordPolicy(password, policy);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(FlowError);
  const error = caught as FlowError;
  expect(error.code).toBe('weak_password');
  return error;
}

describe('normalizePassword', () => {
  it('is NFC', () => {
    expect(normalizePassword(E_ACUTE_NFD.repeat(3))).toBe('\u00e9'.repeat(3));
    expect(normalizePassword('\u00e9')).toBe('\u00e9');
  });

  it('keeps everything else as typed: no trimming, no case folding', () => {
    expect(normalizePassword('  PassWord  ')).toBe('  PassWord  ');
  });
});

describe('checkPasswordPolicy', () => {
  it.each<[string, string]>([
    ['exactly the minimum', 'a'.repeat(8)],
    ['exactly the maximum', 'a'.repeat(128)],
    ['8 emoji (16 UTF-16 units, 8 code points)', EMOJI.repeat(8)],
    ['128 emoji (256 UTF-16 units, 128 code points)', EMOJI.repeat(128)],
    ['spaces only, no composition rules', ' '.repeat(8)],
  ])('accepts %s', (_name, password) => {
    expect(() => checkPasswordPolicy(password, POLICY)).not.toThrow();
  });

  it.each<[string, string]>([
    ['an empty password', ''],
    ['one below the minimum', 'a'.repeat(7)],
    ['7 emoji, although that is 14 UTF-16 units', EMOJI.repeat(7)],
    ['7 NFC characters that were 14 code points in NFD', normalizePassword(E_ACUTE_NFD.repeat(7))],
  ])('rejects %s as too short', (_name, password) => {
    expect(weak(password).message).toContain('at least 8');
  });

  it.each<[string, string]>([
    ['one above the maximum', 'a'.repeat(129)],
    ['129 emoji', EMOJI.repeat(129)],
  ])('rejects %s as too long', (_name, password) => {
    expect(weak(password).message).toContain('at most 128');
  });

  it('counts after NFC normalisation: an NFD password is measured by what gets hashed', () => {
    const nfd = E_ACUTE_NFD.repeat(4); // 8 code points as typed, 4 after NFC
    expect([...nfd]).toHaveLength(8);
    expect(() => checkPasswordPolicy(nfd, POLICY)).not.toThrow(); // the raw string alone would pass…
    weak(normalizePassword(nfd)); // …but the flows check the normalised one
    const long = E_ACUTE_NFD.repeat(100); // 200 code points as typed, 100 after NFC
    expect(() => checkPasswordPolicy(normalizePassword(long), POLICY)).not.toThrow();
  });

  it('follows the configured limits', () => {
    expect(() => checkPasswordPolicy('abcd', { minLength: 4, maxLength: 4 })).not.toThrow();
    weak('abc', { minLength: 4, maxLength: 4 });
    weak('abcde', { minLength: 4, maxLength: 4 });
  });

  it('never echoes the password', () => {
    const password = 'hunter2';
    expect(weak(password).message).not.toContain(password);
  });
});
