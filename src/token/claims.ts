import { TokenError } from './errors.js';
import { normalizeMediaType, type JoseHeader } from './jose-header.js';

/** Registered claims (RFC 7519 §4.1) plus the RFC 9068 members Tessera issues. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
export const MAX_CLOCK_TOLERANCE_SECONDS = 300;

export interface ClaimsPolicy {
  readonly issuer: readonly string[] | undefined;
  readonly audience: readonly string[] | undefined;
  /** Expected header `typ`, already normalised (RFC 8725 §3.11 explicit typing). */
  readonly typ: string | undefined;
  readonly clockToleranceSeconds: number;
  readonly maxTokenAgeSeconds: number | undefined;
  readonly requiredClaims: readonly string[];
}

/** Validates claims of a token whose signature has already verified. `now` is in NumericDate seconds. */
export function checkClaims(
  payload: Record<string, unknown>,
  header: JoseHeader,
  policy: ClaimsPolicy,
  now: number,
): void {
  const tolerance = policy.clockToleranceSeconds;
  if (
    policy.typ !== undefined &&
    (header.typ === undefined || normalizeMediaType(header.typ) !== policy.typ)
  ) {
    throw new TokenError('token_claim_invalid', 'The token type ("typ") is not the expected one.', {
      claim: 'typ',
    });
  }
  const exp = numericDate(payload, 'exp');
  if (exp === undefined) throw missing('exp');
  // RFC 7519 §4.1.4: the current time must be *before* exp; a token is dead at exp itself.
  if (now - tolerance >= exp)
    throw new TokenError('token_expired', 'The token has expired.', { claim: 'exp' });
  const nbf = numericDate(payload, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance) {
    throw new TokenError('token_not_yet_valid', 'The token is not valid yet.', { claim: 'nbf' });
  }
  const iat = numericDate(payload, 'iat');
  if (iat !== undefined && iat > now + tolerance) {
    throw new TokenError('token_not_yet_valid', 'The token was issued in the future.', { claim: 'iat' });
  }
  if (policy.maxTokenAgeSeconds !== undefined) {
    if (iat === undefined) throw missing('iat');
    if (now - tolerance > iat + policy.maxTokenAgeSeconds) {
      throw new TokenError('token_expired', 'The token is older than the maximum age.', { claim: 'iat' });
    }
  }
  const iss = optionalString(payload, 'iss');
  if (policy.issuer !== undefined && (iss === undefined || !policy.issuer.includes(iss))) {
    throw new TokenError('token_claim_invalid', 'The token issuer is not accepted.', { claim: 'iss' });
  }
  checkAudience(payload.aud, policy.audience);
  optionalString(payload, 'sub');
  optionalString(payload, 'jti');
  for (const name of policy.requiredClaims) {
    if (!Object.prototype.hasOwnProperty.call(payload, name)) throw missing(name);
  }
}

function checkAudience(aud: unknown, accepted: readonly string[] | undefined): void {
  let audiences: readonly unknown[];
  if (aud === undefined) audiences = [];
  else if (typeof aud === 'string') audiences = [aud];
  else if (Array.isArray(aud) && aud.length > 0 && aud.every((member) => typeof member === 'string'))
    audiences = aud;
  else
    throw new TokenError('token_claim_invalid', 'The "aud" claim must be a string or an array of strings.', {
      claim: 'aud',
    });
  if (accepted !== undefined && !audiences.some((member) => accepted.includes(member as string))) {
    throw new TokenError('token_claim_invalid', 'The token audience is not accepted.', { claim: 'aud' });
  }
}

function numericDate(payload: Record<string, unknown>, name: string): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TokenError('token_claim_invalid', `The "${name}" claim must be a NumericDate.`, {
      claim: name,
    });
  }
  return value;
}

function optionalString(payload: Record<string, unknown>, name: string): string | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new TokenError('token_claim_invalid', `The "${name}" claim must be a string.`, { claim: name });
  }
  return value;
}

function missing(name: string): TokenError {
  return new TokenError('token_claim_invalid', `The required "${name}" claim is missing.`, { claim: name });
}
