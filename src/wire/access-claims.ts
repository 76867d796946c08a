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
  auth_time: number;
  roles: string[];
}
