/** Who is calling, once their credential has verified. */
export interface Principal {
  userId: string;
  sessionId: string;
  roles: readonly string[];
  /** How they proved it: a JWT access token or a stateful session token. */
  kind: 'jwt' | 'session';
  /** The verified access-token claims (JWT mode). */
  claims: Readonly<Record<string, unknown>> | null;
  /**
   * How strongly the user signed in (one of ACR_LEVELS), for step-up (RFC 9470): the access token's
   * `acr`, or the stateful session's. Absent when the credential does not say: fails any `acr` requirement.
   */
  acr?: string | undefined;
  /** When the user last proved a credential (NumericDate seconds): `auth_time`. Absent: fails any `maxAge`. */
  authTime?: number | undefined;
}
