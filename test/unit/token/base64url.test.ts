import { describe, expect, it } from 'vitest';
import { decodeBase64url, encodeBase64url, isStrictBase64url } from '../../../src/token/base64url.js';
import { expectTokenError } from '../../helpers/token-kit.js';

describe('isStrictBase64url', () => {
  it.each([
    ['empty', ''],
    ['two chars (one byte)', 'QQ'],
    ['three chars (two bytes)', 'QUE'],
    ['four chars (three bytes)', 'QUFB'],
    ['the whole alphabet', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'],
    ['url-safe chars at the end', 'A-_w'],
  ])('accepts %s', (_name, text) => {
    expect(isStrictBase64url(text)).toBe(true);
  });

  it.each([
    ['length % 4 == 1', 'QUFBQ'],
    ['a single char', 'Q'],
    ['"=" padding', 'QQ=='],
    ['one "=" of padding', 'QUE='],
    ['"+" (standard alphabet)', 'ab+c'],
    ['"/" (standard alphabet)', 'ab/c'],
    ['a space', 'QU B'],
    ['a leading space', ' QUF'],
    ['a newline', 'QU\nB'],
    ['a tab', 'QU\tB'],
    ['a carriage return', 'QU\rB'],
    ['a dot', 'QU.B'],
    ['a NUL', 'QU\0B'],
    ['a non-ASCII letter', 'QUé'],
    ['a char whose low byte is in the alphabet (U+0141)', 'QU\u0141B'],
    ['a char above U+FFFF', 'QU\u{1F600}'],
    ['non-canonical trailing bits, 2-char tail', 'QR'],
    ['non-canonical trailing bits, 2-char tail (last unused bit)', 'QB'],
    ['non-canonical trailing bits, 3-char tail', 'QUF'],
    ['non-canonical trailing bits, 3-char tail (low bit)', 'QUH'],
  ])('refuses %s', (_name, text) => {
    expect(isStrictBase64url(text)).toBe(false);
  });

  it('checks only the given range of the text', () => {
    const text = '====QUFB....';
    expect(isStrictBase64url(text, 4, 8)).toBe(true);
    expect(isStrictBase64url(text, 3, 8)).toBe(false);
    expect(isStrictBase64url(text, 4, 9)).toBe(false);
  });

  it('accepts exactly one text for every byte string (canonical form)', () => {
    for (let length = 0; length < 5; length++) {
      const bytes = Buffer.alloc(length, 0xa5);
      const text = bytes.toString('base64url');
      expect(isStrictBase64url(text)).toBe(true);
      if (length % 3 !== 0) {
        // Every other last character that decodes (leniently) to the same bytes is refused.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        for (const ch of alphabet) {
          const variant = text.slice(0, -1) + ch;
          if (variant === text) continue;
          if (Buffer.from(variant, 'base64url').equals(bytes)) expect(isStrictBase64url(variant)).toBe(false);
        }
      }
    }
  });
});

describe('decodeBase64url', () => {
  it('decodes strict input', () => {
    expect(decodeBase64url('aGVsbG8', 'payload').toString()).toBe('hello');
    expect(decodeBase64url('', 'payload').length).toBe(0);
  });

  it.each(['aGVsbG8=', 'aGVs bG8', 'aGVsbG9', 'a+/w', 'aGVsbG8\n'])(
    'throws token_malformed naming the part, not the text: %j',
    (text) => {
      const error = expectTokenError(() => decodeBase64url(text, 'signature'), 'token_malformed', {
        notInMessage: [text.trim()],
      });
      expect(error.message).toContain('signature');
    },
  );
});

describe('encodeBase64url', () => {
  it.each([
    ['a string, as UTF-8', 'hé?>', 'aMOpPz4'],
    ['bytes', new Uint8Array([0xfb, 0xff]), '-_8'],
    ['an empty string', '', ''],
  ])('encodes %s without padding', (_name, input, expected) => {
    expect(encodeBase64url(input)).toBe(expected);
  });

  it('encodes only the view of a Uint8Array, not its whole buffer', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(encodeBase64url(whole.subarray(2, 4))).toBe(Buffer.from([3, 4]).toString('base64url'));
  });

  it('round-trips through the strict decoder', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      const text = encodeBase64url(bytes);
      expect(isStrictBase64url(text)).toBe(true);
      expect(decodeBase64url(text, 'x').equals(bytes)).toBe(true);
    }
  });
});
