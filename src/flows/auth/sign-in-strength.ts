import {
  ACR_MULTI_FACTOR,
  ACR_SINGLE_FACTOR,
  type AcrLevel,
  type AuthenticationMethod,
} from '../../wire/authentication-strength.js';

/**
 * How strongly a sign-in proved the user, stored on the session it opens (migration 008) and stated
 * by its access tokens as `amr`, `acr` and `auth_time`, refreshed ones included.
 */
export interface SignInStrength {
  amr: AuthenticationMethod[];
  acr: AcrLevel;
  /** When the last credential of the sign-in was proven. */
  authTime: Date;
}

/** A password alone (login, registration, the OAuth password grant). */
export function passwordStrength(now: Date): SignInStrength {
  return { amr: ['pwd'], acr: ACR_SINGLE_FACTOR, authTime: now };
}

/**
 * A first factor completed by a second one: the first factor's methods, the second's, and `mfa`
 * (RFC 8176 §2: more than one factor), at the multi-factor level, proven now.
 */
export function multiFactorStrength(
  first: readonly AuthenticationMethod[],
  second: readonly AuthenticationMethod[],
  now: Date,
): SignInStrength {
  const amr = [...new Set([...first, ...second, 'mfa' as const])];
  return { amr, acr: ACR_MULTI_FACTOR, authTime: now };
}
