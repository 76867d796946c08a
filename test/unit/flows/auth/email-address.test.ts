import { describe, expect, it } from 'vitest';
import { normalizeEmail, parseEmail } from '../../../../src/flows/auth/email-address.js';
import { FlowError } from '../../../../src/flows/flow-error.js';

describe('normalizeEmail', () => {
  it.each<[string, string]>([
    ['ada@example.com', 'ada@example.com'],
    ['  Ada@Example.COM\t', 'ada@example.com'],
    ['\nADA@EXAMPLE.COM\n', 'ada@example.com'],
    // NFD "é" (e + combining acute) becomes the precomposed NFC character.
    ['Re\u0301ne@example.com', 'r\u00e9ne@example.com'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeEmail(input)).toBe(expected);
  });

  it('makes NFC and NFD spellings of one address equal', () => {
    expect(normalizeEmail('ren\u00e9@example.com')).toBe(normalizeEmail('rene\u0301@example.com'));
  });
});

describe('parseEmail', () => {
  it.each<[string, string]>([
    ['ada@example.com', 'ada@example.com'],
    [' Ada.Lovelace+tag@Mail.Example.org ', 'ada.lovelace+tag@mail.example.org'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['ü@exämple.de', 'ü@exämple.de'],
    [`${'a'.repeat(64)}@${'b'.repeat(185)}.com`, `${'a'.repeat(64)}@${'b'.repeat(185)}.com`], // 254 characters
  ])('accepts %j', (input, expected) => {
    expect(parseEmail(input)).toBe(expected);
  });

  it.each<[string, string]>([
    ['an empty string', ''],
    ['only spaces', '   '],
    ['no @', 'ada.example.com'],
    ['two @', 'ada@@example.com'],
    ['an @ in the domain', 'ada@exa@mple.com'],
    ['an empty local part', '@example.com'],
    ['an empty domain', 'ada@'],
    ['an undotted domain', 'ada@localhost'],
    ['a trailing dot only', 'ada@example.'],
    ['a leading dot only', 'ada@.com'],
    ['a space inside', 'ada lovelace@example.com'],
    ['a tab inside', 'ada\t@example.com'],
    ['a newline inside (header injection)', 'ada@example.com\nBcc: eve@example.com'],
    ['a NUL byte', 'ada\u0000@example.com'],
    ['a DEL character', 'ada\u007f@example.com'],
    ['255 characters', `${'a'.repeat(64)}@${'b'.repeat(186)}.com`],
    ['a display name', 'Ada <ada@example.com>'],
  ])('rejects %s with invalid_email', (_name, input) => {
    let caught: unknown;
    try {
      parseEmail(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlowError);
    expect((caught as FlowError).code).toBe('invalid_email');
    if (input.trim() !== '') expect((caught as FlowError).message).not.toContain(input.trim());
  });
});

describe('parseEmail: invisible characters', () => {
  it.each([
    'abc\u202edef@example.com',
    'a\u200bb@example.com',
    'ab@example.c\u2066om',
    'a\udc00@example.com',
  ])("refuses %j with 'invalid_email' (bidi overrides, zero-width and lone surrogates)", (email) => {
    expect(() => parseEmail(email)).toThrow(expect.objectContaining({ code: 'invalid_email' }));
  });
});
