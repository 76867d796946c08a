/**
 * How strongly a user signed in, as tokens state it: `amr` (RFC 8176 method values), `acr` (the level,
 * one of ACR_LEVELS) and `auth_time`. Step-up (RFC 9470) compares a token's `acr` with a required one
 * by position in ACR_LEVELS, so a stronger level always satisfies a weaker requirement.
 */

/** RFC 8176 §2 values Tessera uses: password, one-time code, hardware- or software-bound key, user presence/verification, several factors. */
export type AuthenticationMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'user' | 'mfa';

/** One factor (a password alone). */
export const ACR_SINGLE_FACTOR = 'urn:tessera:acr:1fa';
/** Two factors: a password and a second factor, or a passkey with user verification. */
export const ACR_MULTI_FACTOR = 'urn:tessera:acr:2fa';

/** Every level, weakest first. */
export const ACR_LEVELS = [ACR_SINGLE_FACTOR, ACR_MULTI_FACTOR] as const;
export type AcrLevel = (typeof ACR_LEVELS)[number];
