import { createHash } from 'node:crypto';
import { recordAudit } from '../audit.js';
import type { Deps, RequestContext } from '../deps.js';
import { FlowError } from '../flow-error.js';
import { encodeBase32 } from './base32.js';

/**
 * Recovery codes: ten per user, shown once, each 160 random bits written as eight groups of four
 * base32 letters (`abcd-efgh-…`), stored only as SHA-256 (a fast hash suffices for 160-bit secrets),
 * single-use. Generating a new set voids the old one in the same store step.
 */
export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 20;
const NORMALIZED_SHAPE = /^[a-z2-7]{32}$/;

export function hashRecoveryCode(normalized: string): string {
  return createHash('sha256').update(normalized).digest('base64url');
}

/** Case, dashes and spaces do not matter; anything else that is not 32 base32 letters is a 400. */
export function normalizeRecoveryCode(code: string): string {
  const normalized = code.replace(/[\s-]/g, '').toLowerCase();
  if (!NORMALIZED_SHAPE.test(normalized)) {
    throw new FlowError('mfa_code_malformed', 'A recovery code is 32 letters and digits, in groups of four.');
  }
  return normalized;
}

/** Draws a new set for the user, replacing the old one; returns the codes to show once. */
export async function issueRecoveryCodes(
  deps: Deps,
  userId: string,
  context: RequestContext,
  reason: 'first_factor' | 'regenerated',
): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () =>
    encodeBase32(deps.random.bytes(CODE_BYTES)).toLowerCase(),
  );
  await deps.stores.secondFactors.replaceRecoveryCodes(userId, codes.map(hashRecoveryCode), deps.clock.now());
  if (reason === 'regenerated') await recordAudit(deps, 'recovery_codes_regenerated', { userId, context });
  return codes.map((code) => code.match(/.{4}/g)!.join('-'));
}
