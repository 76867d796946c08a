import type { SecondFactorRecord } from '../../stores/types.js';
import { toNumericDate } from '../../platform/clock.js';
import type { Deps } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { sealerFor } from '../keys/stored-secrets.js';
import { decodeBase32, encodeBase32 } from './base32.js';
import { findMatchingStep, timeStepAt, TOTP_DIGITS } from './one-time-password.js';

/** RFC 4226 §4 R6 recommends 160-bit shared secrets. */
const SECRET_BYTES = 20;
const CODE_SHAPE = /^\d{6}$/;

/** What a factor's secret is sealed for: binds the ciphertext to the factor's id. */
export function factorSecretPurpose(factorId: string): string {
  return `second factor ${factorId}`;
}

/** A fresh TOTP seed as base32 (what otpauth:// URIs and manual entry use). */
export function generateTotpSecret(deps: Pick<Deps, 'random'>): string {
  return encodeBase32(deps.random.bytes(SECRET_BYTES));
}

export function sealTotpSecret(deps: Pick<Deps, 'config'>, factorId: string, base32Secret: string): string {
  return sealerFor(deps.config).seal(factorSecretPurpose(factorId), base32Secret);
}

function openTotpSecret(deps: Pick<Deps, 'config'>, factor: SecondFactorRecord): Uint8Array {
  const { plaintext } = sealerFor(deps.config).open(factorSecretPurpose(factor.id), factor.secret);
  const secret = decodeBase32(plaintext);
  if (secret === undefined) throw new TypeError(`The stored secret of factor ${factor.id} is not base32.`);
  return secret;
}

/** A six-digit code, spaces allowed between digits (apps show "123 456"); 400 otherwise. */
export function normalizeTotpCode(code: string): string {
  const digits = code.replace(/[\s-]/g, '');
  if (!CODE_SHAPE.test(digits)) {
    throw new FlowError('mfa_code_malformed', `The code must be ${TOTP_DIGITS} digits.`);
  }
  return digits;
}

export type TotpCheck = 'accepted' | 'invalid' | 'reused';

/**
 * Checks a code against a factor at the current step ±1 and, when it matches, records its step in the
 * same atomic store step (acceptStep): a code accepted once is never accepted again, nor is any code
 * of an earlier step, even by two requests racing. The first acceptance confirms a pending factor.
 */
export async function checkTotpCode(
  deps: Pick<Deps, 'config' | 'clock' | 'stores'>,
  factor: SecondFactorRecord,
  code: string,
): Promise<TotpCheck> {
  const now = deps.clock.now();
  const step = findMatchingStep(openTotpSecret(deps, factor), code, timeStepAt(toNumericDate(now)));
  if (step === undefined) return 'invalid';
  return (await deps.stores.secondFactors.acceptStep(factor.id, step, now)) ? 'accepted' : 'reused';
}

/** The `otpauth://totp/` URI authenticator apps read (Key Uri Format): label, secret and parameters. */
export function buildOtpauthUri(args: { issuer: string; account: string; secret: string }): string {
  const label = `${encodeURIComponent(args.issuer)}:${encodeURIComponent(args.account)}`;
  const query = new URLSearchParams({
    secret: args.secret,
    issuer: args.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: '30',
  });
  return `otpauth://totp/${label}?${query.toString()}`;
}
