/**
 * RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP) test values, copied into the JSON files
 * beside this one, checked against src/flows/mfa/one-time-password.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findMatchingStep,
  generateHotp,
  generateTotp,
  timeStepAt,
  type OtpAlgorithm,
} from '../../src/flows/mfa/one-time-password.js';
import { decodeBase32, encodeBase32 } from '../../src/flows/mfa/base32.js';

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T;

const hotp = read<{
  secretAscii: string;
  digits: number;
  values: Array<{ counter: number; hotp: string }>;
}>('./rfc4226-d-hotp.json');

const totp = read<{
  digits: number;
  periodSeconds: number;
  seedsAscii: Record<OtpAlgorithm, string>;
  values: Array<{ unixSeconds: number; stepHex: string } & Record<OtpAlgorithm, string>>;
}>('./rfc6238-b-totp.json');

describe('RFC 4226 Appendix D: HOTP', () => {
  it.each(hotp.values)('counter $counter → $hotp', ({ counter, hotp: expected }) => {
    expect(generateHotp(Buffer.from(hotp.secretAscii), counter, hotp.digits, 'sha1')).toBe(expected);
  });
});

describe('RFC 6238 Appendix B: TOTP', () => {
  const cases = totp.values.flatMap((row) =>
    (['sha1', 'sha256', 'sha512'] as const).map((algorithm) => ({ ...row, algorithm, expected: row[algorithm] })),
  );
  it.each(cases)('$unixSeconds s, $algorithm → $expected', ({ unixSeconds, stepHex, algorithm, expected }) => {
    const step = timeStepAt(unixSeconds, totp.periodSeconds);
    expect(step).toBe(Number.parseInt(stepHex, 16));
    expect(generateTotp(Buffer.from(totp.seedsAscii[algorithm]), step, totp.digits, algorithm)).toBe(expected);
  });
});

describe('the ±1 step window', () => {
  const secret = Buffer.from(totp.seedsAscii.sha1);
  const step = 1000;
  it.each([
    [step - 1, step - 1],
    [step, step],
    [step + 1, step + 1],
  ])('accepts the code of step %i', (codeStep, expected) => {
    expect(findMatchingStep(secret, generateTotp(secret, codeStep), step)).toBe(expected);
  });
  it.each([step - 2, step + 2])('refuses the code of step %i', (codeStep) => {
    expect(findMatchingStep(secret, generateTotp(secret, codeStep), step)).toBeUndefined();
  });
  it('refuses a code of another length', () => {
    expect(findMatchingStep(secret, generateTotp(secret, step).slice(1), step)).toBeUndefined();
  });
});

describe('base32 (RFC 4648 §10 test vectors, unpadded)', () => {
  it.each([
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ])('%j ↔ %s', (text, encoded) => {
    expect(encodeBase32(Buffer.from(text))).toBe(encoded);
    expect(Buffer.from(decodeBase32(encoded) ?? []).toString()).toBe(text);
  });
  it('refuses characters outside the alphabet', () => {
    expect(decodeBase32('MZ1W')).toBeUndefined();
  });
});
