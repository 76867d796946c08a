import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HOTP (RFC 4226) and TOTP (RFC 6238) over node:crypto HMAC, written here rather than taken from a
 * package (docs/decisions/0046-totp-written-in-house.md). Checked against RFC 4226 Appendix D and
 * RFC 6238 Appendix B (test/vectors/). Pure: the time step is passed in.
 */
export type OtpAlgorithm = 'sha1' | 'sha256' | 'sha512';

/** What authenticator apps accept without extra parameters: SHA-1, 6 digits, 30-second steps. */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ALGORITHM: OtpAlgorithm = 'sha1';

/** RFC 4226 §5.3: HMAC of the 8-byte big-endian counter, dynamic truncation, modulo 10^digits. */
export function generateHotp(
  secret: Uint8Array,
  counter: number,
  digits: number = TOTP_DIGITS,
  algorithm: OtpAlgorithm = TOTP_ALGORITHM,
): string {
  if (!Number.isSafeInteger(counter) || counter < 0)
    throw new TypeError('The counter must be a safe integer ≥ 0.');
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(algorithm, secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** RFC 6238 §4.2: T = floor((unix time − T0) / X), with T0 = 0. */
export function timeStepAt(unixSeconds: number, periodSeconds: number = TOTP_PERIOD_SECONDS): number {
  return Math.floor(unixSeconds / periodSeconds);
}

/** The TOTP value for a time step. */
export function generateTotp(
  secret: Uint8Array,
  step: number,
  digits: number = TOTP_DIGITS,
  algorithm: OtpAlgorithm = TOTP_ALGORITHM,
): string {
  return generateHotp(secret, step, digits, algorithm);
}

/**
 * The time step whose code matches, among `current − window … current + window` (RFC 6238 §5.2: one
 * step each way for clock drift and transmission delay), or undefined. Every candidate is computed and
 * compared in constant time, so the answer's timing does not tell which step matched.
 */
export function findMatchingStep(
  secret: Uint8Array,
  code: string,
  currentStep: number,
  windowSteps = 1,
): number | undefined {
  let matched: number | undefined;
  const presented = Buffer.from(code);
  for (let step = currentStep - windowSteps; step <= currentStep + windowSteps; step++) {
    if (step < 0) continue;
    const expected = Buffer.from(generateTotp(secret, step));
    if (
      expected.length === presented.length &&
      timingSafeEqual(expected, presented) &&
      matched === undefined
    ) {
      matched = step;
    }
  }
  return matched;
}
