/**
 * Whether a user has enrolled a second factor (TOTP or a passkey). Sensitive routes (password and
 * e-mail change, adding or removing factors, revoking other sessions) demand a recent multi-factor
 * sign-in (RFC 9470 step-up) only from users who have one; the second-factor feature supplies it.
 */
export interface FactorPresence {
  hasSecondFactor(userId: string): Promise<boolean>;
}
