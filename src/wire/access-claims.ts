/**
 * Claims of a Tessera access token: the RFC 9068 profile plus `roles`. The server signs exactly these
 * (src/flows/sessions/access-tokens.ts adds `scope` for OAuth clients and custom claims); the SDK decodes them
 * without verification.
 */
export interface AccessClaims {
  iss: string;
  sub: string;
  aud: string;
  /** NumericDate seconds. */
  exp: number;
  iat: number;
  jti: string;
  sid: string;
  client_id: string;
  /** When the user last proved a credential (NumericDate seconds). */
  auth_time: number;
  /** RFC 8176 methods of that sign-in (`pwd`, `otp`, `hwk`, `mfa`, …); absent on tokens issued before it existed. */
  amr?: string[];
  /** The sign-in's level, one of ACR_LEVELS (authentication-strength.ts). */
  acr?: string;
  roles: string[];
  /** The user's address was verified when the token was issued (OpenID Connect's claim name). */
  email_verified?: boolean;
}
